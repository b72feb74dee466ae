package org.tcpspec.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_OPT_ID;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_OPT_ID_TCP;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_OPT_STATS;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_OPT_TSONLY;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_SOFTWARE;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_TX_ACK;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_TX_SCHED;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_TX_SOFTWARE;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.stack.TxTimestamps.Kind;
import org.tcpspec.stack.TxTimestamps.Stamp;

/**
 * SO_TIMESTAMPING's transmit timestamps (Linux tcp_tx_timestamp, __skb_tstamp_tx, tcp_ack_tstamp)
 * over two stacks on a perfect link: the last byte of each write stamped when its segment goes
 * (SCHED, SND) and when the cumulative ACK passes it (ACK), with OPT_ID's byte offsets.
 */
class TxTimestampingTest {

  private static final int ALL = SOF_TIMESTAMPING_TX_SCHED.value() | SOF_TIMESTAMPING_TX_SOFTWARE.value()
      | SOF_TIMESTAMPING_TX_ACK.value() | SOF_TIMESTAMPING_SOFTWARE.value() | SOF_TIMESTAMPING_OPT_ID.value();

  /** A client on A connected to a listener on B; returns {client, listener}. */
  private static int[] connected(TwoStacks n) {
    int[] c = n.connectToListener();
    assertEquals(0, n.apiA.connect(c[0], TwoStacks.B, 80).value());
    return c;
  }

  private static List<Stamp> drain(SocketApi api, int fd) {
    List<Stamp> out = new ArrayList<>();
    for (SysResult<Stamp> s; (s = api.readTxTimestamp(fd)).succeeded(); ) out.add(s.out().orElseThrow());
    return out;
  }

  private static void advanceMillis(TwoStacks n, long millis) {
    n.clock.setNanos(n.clock.nowNanos() + millis * 1_000_000L);
  }

  @Test
  void lastByteOfAWriteIsStampedWhenSentAndWhenAcknowledged() {
    TwoStacks n = new TwoStacks(1);
    int client = connected(n)[0];
    assertEquals(0, n.apiA.setsockopt(client, Symbol.SO_TIMESTAMPING, ALL).value());
    assertEquals(ALL, n.apiA.getsockopt(client, Symbol.SO_TIMESTAMPING).out().orElseThrow());
    assertEquals(Errno.EAGAIN, n.apiA.readTxTimestamp(client).errno(), "nothing written yet");
    long sent = n.clock.nowNanos();
    n.apiA.write(client, new byte[300]);
    assertEquals(Symbol.POLLERR.value(), n.apiA.poll(client, 0) & Symbol.POLLERR.value(), "a stamp waits");
    assertEquals(List.of(new Stamp(Kind.SCHED, 299, sent, false), new Stamp(Kind.SND, 299, sent, false)),
        drain(n.apiA, client));
    assertEquals(0, n.apiA.poll(client, 0) & Symbol.POLLERR.value());
    advanceMillis(n, 7);
    n.settle();
    assertEquals(List.of(new Stamp(Kind.ACK, 299, sent + 7_000_000L, false)), drain(n.apiA, client));
  }

  /**
   * Linux keeps one key per skb: a write appended to the segment Nagle holds takes over its key,
   * and the held write is never stamped; ids count from SND.UNA when OPT_ID was set.
   */
  @Test
  void aWriteJoiningAHeldSegmentTakesOverItsKey() {
    TwoStacks n = new TwoStacks(1);
    int client = connected(n)[0];
    n.apiA.write(client, new byte[50]); // before the option: never stamped, and ids start after it
    n.settle();
    int flags = ALL | SOF_TIMESTAMPING_OPT_TSONLY.value();
    assertEquals(0, n.apiA.setsockopt(client, Symbol.SO_TIMESTAMPING, flags).value());
    n.apiA.write(client, new byte[100]); // sent at once
    n.apiA.write(client, new byte[100]); // held by Nagle: the first small segment is unacknowledged
    n.apiA.write(client, new byte[100]); // joins the held one
    n.settle();
    List<Kind> kinds = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    for (Stamp s : drain(n.apiA, client)) {
      kinds.add(s.kind());
      ids.add(s.id());
      assertTrue(s.timestampOnly());
    }
    assertEquals(List.of(Kind.SCHED, Kind.SND, Kind.ACK, Kind.SCHED, Kind.SND, Kind.ACK), kinds);
    assertEquals(List.of(99, 99, 99, 299, 299, 299), ids);
  }

  @Test
  void aRetransmissionIsStampedAgain() {
    TwoStacks n = new TwoStacks(1);
    int client = connected(n)[0];
    n.apiA.setsockopt(client, Symbol.SO_TIMESTAMPING, ALL);
    n.apiA.write(client, new byte[10]);
    n.collect();
    n.inFlight.clear(); // the segment is lost
    assertEquals(List.of(Kind.SCHED, Kind.SND), drain(n.apiA, client).stream().map(Stamp::kind).toList());
    long before = n.clock.nowNanos();
    List<Stamp> again = List.of();
    for (int i = 0; i < 5 && again.isEmpty(); i++) {
      n.tick(5_000); // up to the retransmission timer
      again = drain(n.apiA, client);
    }
    assertEquals(List.of(Kind.SCHED, Kind.SND), again.stream().map(Stamp::kind).toList());
    assertTrue(again.getFirst().nanos() > before, "stamped when sent again");
    n.settle();
    assertEquals(List.of(Kind.ACK), drain(n.apiA, client).stream().map(Stamp::kind).toList());
  }

  /** sock_set_timestamping's checks. */
  @Test
  void invalidFlagsAndIdsWithoutAConnectionAreRefused() {
    TwoStacks n = new TwoStacks(1);
    int[] fds = connected(n);
    int fresh = n.apiA.socket();
    int optId = SOF_TIMESTAMPING_OPT_ID.value();
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(fresh, Symbol.SO_TIMESTAMPING, optId).errno(), "no connection");
    assertEquals(Errno.EINVAL, n.apiB.setsockopt(fds[1], Symbol.SO_TIMESTAMPING, optId).errno(), "a listener");
    assertEquals(0, n.apiA.setsockopt(fresh, Symbol.SO_TIMESTAMPING, SOF_TIMESTAMPING_TX_ACK.value()).value());
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(fds[0], Symbol.SO_TIMESTAMPING,
        SOF_TIMESTAMPING_OPT_ID_TCP.value()).errno(), "OPT_ID_TCP without OPT_ID");
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(fds[0], Symbol.SO_TIMESTAMPING,
        SOF_TIMESTAMPING_OPT_STATS.value()).errno(), "OPT_STATS without OPT_TSONLY");
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(fds[0], Symbol.SO_TIMESTAMPING, 1 << 19).errno(), "beyond the mask");
    assertEquals(0, n.apiA.getsockopt(fds[0], Symbol.SO_TIMESTAMPING).out().orElseThrow(), "unchanged");
  }

  /** OPT_ID_TCP counts ids from write_seq: bytes written and not yet acknowledged do not count. */
  @Test
  void idsCountFromWriteSeqWithOptIdTcp() {
    TwoStacks n = new TwoStacks(1);
    int client = connected(n)[0];
    n.apiA.write(client, new byte[40]);
    int flags = ALL | SOF_TIMESTAMPING_OPT_ID_TCP.value();
    assertEquals(0, n.apiA.setsockopt(client, Symbol.SO_TIMESTAMPING, flags).value());
    n.apiA.write(client, new byte[10]);
    n.settle();
    assertEquals(List.of(9, 9, 9), drain(n.apiA, client).stream().map(Stamp::id).toList());
  }
}
