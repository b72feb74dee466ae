package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.tcpspec.time.ManualClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SeqNum;

/**
 * RFC 6675 loss recovery against NewReno alone, over a link with a 100 ms RTT that loses chosen
 * first transmissions: with SACK every hole of a window is retransmitted in the first recovery
 * round trip; NewReno learns of one hole per partial ACK.
 */
class SackRecoveryTest {
  static final int A = 0x0A000001;
  static final int B = 0x0A000002;

  /** What one transfer cost: retransmitted data segments, and virtual time until all was ACKed. */
  record Outcome(int retransmissions, long millis, byte[] received) {
    @Override
    public String toString() {
        return retransmissions + " retransmissions in " + millis + " ms";
    }
  }

  /**
   * Sends {@code segments} full segments from A to B with SACK on or off on both stacks, losing the
   * first transmission of the segments whose index is in {@code lost}.
   */
  static Outcome transfer(boolean sack, int segments, Set<Integer> lost) {
    return transfer(sack, segments, lost, UnaryOperator.identity());
  }

  /** As above, with every segment from B to A passed through {@code fromB} first. */
  static Outcome transfer(boolean sack, int segments, Set<Integer> lost, UnaryOperator<Segment> fromB) {
    ManualClock clock = new ManualClock(1_000_000_000L);
    Stack a = new Stack(A, clock, TraceSink.NONE, 1L);
    Stack b = new Stack(B, clock, TraceSink.NONE, 2L);
    for (Stack s : new Stack[] {a, b}) {
      s.strict(true);
      s.config(s.config().withSysctl("tcp_sack", sack ? "1" : "0").orElseThrow());
    }
    b.listen(80, 4, b.defaultOptions()).orElseThrow();
    Connection c = a.connect(40000, B, 80, a.defaultOptions()).orElseThrow();
    for (int i = 0; i < 3; i++) {
      a.drainOutput().forEach(b::input);
      b.drainOutput().forEach(a::input);
    }
    Connection server = b.connections().getFirst();
    int mss = c.tcb().sndMss;
    byte[] data = new byte[segments * mss];
    new java.util.Random(7).nextBytes(data);
    assertEquals(data.length, a.write(c, data, 0, data.length));
    int base = c.tcb().sndUna;
    Set<Integer> sentOnce = new HashSet<>();
    int retransmissions = 0;
    long start = clock.nowNanos();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    while (c.tcb().inFlight() > 0 || c.tcb().sendBuffer.size() > 0) {
      assertTrue(clock.nowNanos() - start < 60_000_000_000L, "transfer did not finish");
      for (Segment s : a.drainOutput()) {
        if (s.payloadLength() == 0) {
          b.input(s);
          continue;
        }
        int offset = SeqNum.distance(base, s.seq());
        if (!sentOnce.add(offset)) retransmissions++;
        else if (lost.contains(offset / mss)) continue;
        b.input(s);
      }
      var acks = new java.util.ArrayList<>(b.drainOutput());
      clock.advanceMillis(50);
      b.runTimers();
      acks.addAll(b.drainOutput());
      clock.advanceMillis(50);
      acks.forEach(ack -> a.input(fromB.apply(ack)));
      a.runTimers();
      byte[] chunk = new byte[65536];
      int n;
      while ((n = b.read(server, chunk, 0, chunk.length)) > 0) received.write(chunk, 0, n);
    }
    byte[] chunk = new byte[65536];
    int n;
    while ((n = b.read(server, chunk, 0, chunk.length)) > 0) received.write(chunk, 0, n);
    assertArrayEquals(data, received.toByteArray());
    return new Outcome(retransmissions, (clock.nowNanos() - start) / 1_000_000, received.toByteArray());
  }

  @Test
  void sackRecoversThreeLossesOfOneWindowInOneRoundTrip() {
    // One initial window (10 segments, RFC 6928) in which the 2nd, 5th and 8th are lost.
    Set<Integer> lost = Set.of(1, 4, 7);
    Outcome sack = transfer(true, 10, lost);
    Outcome reno = transfer(false, 10, lost);
    System.out.printf("three losses in a window: SACK %d retransmissions in %d ms, NewReno %d in %d ms%n",
        sack.retransmissions(), sack.millis(), reno.retransmissions(), reno.millis());
    assertEquals(3, sack.retransmissions(), "each hole once");
    assertTrue(sack.retransmissions() <= reno.retransmissions());
    // SACK retransmits all three in the second round trip; NewReno one per round trip.
    assertEquals(200, sack.millis());
    assertEquals(400, reno.millis());
    assertArrayEquals(sack.received(), reno.received());
  }

  @Test
  void sackNeverRetransmitsWhatThePeerHolds() {
    Set<Integer> lost = Set.of(0, 2, 4, 6, 8);
    Outcome sack = transfer(true, 10, lost);
    Outcome reno = transfer(false, 10, lost);
    System.out.printf("five losses in a window: SACK %d retransmissions in %d ms, NewReno %d in %d ms%n",
        sack.retransmissions(), sack.millis(), reno.retransmissions(), reno.millis());
    assertEquals(5, sack.retransmissions());
    assertTrue(sack.retransmissions() <= reno.retransmissions());
    assertTrue(sack.millis() < reno.millis(), sack + " vs " + reno);
  }

  /**
   * RFC 6675 §2: with SACK, an ACK that SACKs new octets is a duplicate ACK even when its window
   * differs, as Linux's does while its application reads. With each ACK's window one unit
   * different, recovery must still start on SACK information, not wait for the timeout.
   */
  @Test
  void sackRecoveryStartsWhenTheAcksWindowsChange() {
    Set<Integer> lost = Set.of(1, 4, 7);
    int[] count = {0};
    Outcome changing = transfer(true, 10, lost, s -> new Segment(s.srcAddr(), s.dstAddr(), s.srcPort(),
        s.dstPort(), s.seq(), s.ack(), s.flags(), s.window() - (count[0]++ % 2), s.urgentPointer(),
        s.options(), s.payload()));
    assertEquals(3, changing.retransmissions(), "each hole once");
    assertEquals(200, changing.millis(), "recovered in the second round trip, as with steady windows");
  }
}
