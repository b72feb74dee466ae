package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.tcpspec.fsm.State;
import org.tcpspec.trace.TraceRecord;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SeqNum;
import org.tcpspec.wire.TcpOption;

/**
 * "The core never crashes on any segment": random segments (any flags, sequence numbers near and
 * far from the windows, odd options) thrown at a connection in each state. Nothing may throw, the
 * state may change only through recorded transitions, and RCV.NXT never moves backwards (a byte
 * once acknowledged is never given up).
 */
class RandomSegmentsPropertyTest {

  record Shot(int flags, int seqOffset, int ackOffset, int len, int window, List<TcpOption> options) {}

  @Provide
  Arbitrary<List<Shot>> shots() {
    Arbitrary<Integer> offsets = Arbitraries.oneOf(Arbitraries.integers().between(-3, 3),
        Arbitraries.integers().between(-70_000, 70_000), Arbitraries.integers());
    Arbitrary<List<TcpOption>> options = Arbitraries.of(
        List.<TcpOption>of(), List.<TcpOption>of(new TcpOption.Timestamp(5, 0)),
        List.<TcpOption>of(new TcpOption.Mss(0)), List.<TcpOption>of(new TcpOption.WindowScale(200)),
        List.<TcpOption>of(new TcpOption.SackPermitted(), new TcpOption.Unknown(99, new byte[3])));
    Arbitrary<Shot> shot = Combinators.combine(Arbitraries.integers().between(0, 0xFF), offsets, offsets,
        Arbitraries.of(0, 1, 100, 1460), Arbitraries.of(0, 1, 65535), options).as(Shot::new);
    return shot.list().ofMaxSize(12);
  }

  @Property(tries = 400, seed = "99")
  void noSegmentCrashesTheCoreOrUnacknowledgesData(@ForAll("fixtures") State state, @ForAll("shots") List<Shot> shots) {
    Harness h = switch (state) {
      case LISTEN -> Harness.synReceived();
      case SYN_SENT -> Harness.synSent();
      case CLOSED, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT ->
          state == State.CLOSED ? Harness.established() : Harness.fixture(state);
    };
    boolean startedSynchronized = h.state().isSynchronized();
    int rcvNxt0 = h.rcvNxt();
    for (Shot s : shots) {
      int before = h.rcvNxt();
      State from = h.state();
      int traced = h.trace.records().size();
      Segment seg = new Segment(Harness.REMOTE, Harness.LOCAL, Harness.REMOTE_PORT, Harness.LOCAL_PORT,
          SeqNum.plus(h.rcvNxt(), s.seqOffset()), SeqNum.plus(h.sndUna(), s.ackOffset()), s.flags(),
          s.window(), 0, s.options(), new byte[s.len()]);
      h.send(seg);
      h.out();
      List<TraceRecord> recs = new ArrayList<>(h.trace.records().subList(traced, h.trace.records().size()));
      if (h.state() != from) {
        assertTrue(recs.stream().anyMatch(r -> r.from().equals(from.rfcName()) && r.to().equals(h.state().rfcName())),
            "state changed without a transition record: " + recs);
      }
      if (from.isSynchronized() && h.state() != State.CLOSED && h.state() != State.LISTEN) {
        assertTrue(SeqNum.ge(h.rcvNxt(), before), "RCV.NXT went backwards on " + seg);
      }
    }
    if (startedSynchronized && h.state().isSynchronized()) assertTrue(SeqNum.ge(h.rcvNxt(), rcvNxt0));
    assertEquals(0, h.stack.drainOutput().size());
  }

  @Provide
  Arbitrary<State> fixtures() {
    return Arbitraries.of(State.values());
  }
}
