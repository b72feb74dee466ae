package org.tcpspec.conformance.judge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.wire.TcpFlags.ACK;
import static org.tcpspec.wire.TcpFlags.FIN;
import static org.tcpspec.wire.TcpFlags.PSH;
import static org.tcpspec.wire.TcpFlags.RST;
import static org.tcpspec.wire.TcpFlags.SYN;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * PAWS as the judge sees it (RFC 7323 §5.3, as Linux tests it): TS.Recent only from segments Linux
 * surely stored, a full socket's one-tick window and disordered ACKs, a timewait socket's RSTs held
 * to PAWS for TCP_PAWS_MSL, and nothing rejected once TS.Recent is TCP_PAWS_WRAP old. The exchanges
 * are those of a passive open with timestamps, the peer's ISN 0 and ours {@link #ISS}.
 */
class ObservedTcbTest {
  private static final int ISS = 5000;

  @Test
  void aFullSocketAllowsOneTickAndEveryPossiblyDisorderedAck() {
    ObservedTcb tcb = established();
    tcb.received(peer(ACK | PSH, 1, 1, 10, 115));
    tcb.sent(ours(ACK, 1, 11, 5100));
    assertFalse(tcb.pawsRejects(peer(ACK | PSH, 11, 1, 10, 114)), "one tick behind TS.Recent 115");
    assertTrue(tcb.pawsRejects(peer(ACK | PSH, 11, 1, 10, 113)), "two ticks behind");
    assertFalse(tcb.pawsRejects(peer(ACK, 11, 1, 0, 10)), "a pure duplicate ACK at RCV.NXT may be disordered");
    assertTrue(tcb.pawsRejects(peer(ACK | FIN, 11, 1, 0, 10)), "a FIN is no disordered ACK");
    assertFalse(tcb.pawsRejects(peer(RST | ACK, 11, 1, 0, 10)), "a full socket takes a RST whatever its TSval");
  }

  @Test
  void aPureAckBelowRcvNxtThatFailsPawsIsAnOldAck() {
    ObservedTcb tcb = established();
    tcb.received(peer(ACK | PSH, 1, 1, 10, 115));
    tcb.sent(ours(ACK, 1, 11, 5100));
    assertTrue(tcb.pawsOldAck(peer(ACK, 1, 1, 0, 10)), "below RCV.NXT 11, two ticks behind");
    assertFalse(tcb.pawsOldAck(peer(ACK, 1, 1, 0, 115)), "passes PAWS");
    assertFalse(tcb.pawsOldAck(peer(ACK, 21, 1, 0, 10)), "above RCV.NXT");
    assertFalse(tcb.pawsOldAck(peer(ACK | PSH, 1, 1, 10, 10)), "text");
    assertFalse(tcb.pawsOldAck(peer(ACK | FIN, 1, 1, 0, 10)), "a FIN is no pure ACK");
  }

  @Test
  void tsRecentMovesOnlyForASegmentAtOrBeforeLastAckSent() {
    ObservedTcb tcb = established();
    tcb.received(peer(ACK | PSH, 1, 1, 400, 400));
    // Our ACK is delayed: the next text starts after Last.ACK.sent (1), and its 500 is not stored.
    tcb.received(peer(ACK | PSH, 401, 1, 400, 500));
    tcb.sent(ours(ACK, 1, 801, 5200));
    assertFalse(tcb.pawsRejects(peer(ACK | PSH, 801, 1, 400, 450)), "TS.Recent is 400, not 500");
    assertTrue(tcb.pawsRejects(peer(ACK | PSH, 801, 1, 400, 398)));
  }

  @Test
  void anOrphansTimewaitSocketHoldsARstToPawsForSixtySeconds() {
    ObservedTcb tcb = finWait2Orphan();
    assertTrue(tcb.timewaitPawsRejects(peer(ACK, 11, 2, 0, 119)), "no window: one tick behind TS.Recent 120");
    assertFalse(tcb.timewaitPawsRejects(peer(ACK, 11, 2, 0, 120)));
    assertTrue(tcb.timewaitPawsRejects(peer(RST | ACK, 11, 2, 0, 119)), "TS.Recent is 0.1 s old");
    tcb.at(300 + 58_900);
    assertTrue(tcb.timewaitPawsRejects(peer(RST | ACK, 11, 2, 0, 119)), "58.9 s old");
    tcb.at(300 + 60_000);
    assertFalse(tcb.timewaitPawsRejects(peer(RST | ACK, 11, 2, 0, 119)), "TCP_PAWS_MSL reached");
    assertTrue(tcb.timewaitPawsRejects(peer(ACK, 11, 2, 0, 119)), "other segments stay held to it");
  }

  @Test
  void anOrphansRejectedSegmentsLeaveTsRecentAsTheAckOfOurFinSetIt() {
    ObservedTcb tcb = finWait2Orphan();
    // Linux's FIN_WAIT2 timewait socket stores no TSval but the FIN's: a bare ACK's 130 is not kept.
    tcb.received(peer(ACK, 11, 2, 0, 130));
    assertFalse(tcb.timewaitPawsRejects(peer(RST | ACK, 11, 2, 0, 125)), "TS.Recent is still 120, not 130");
    assertTrue(tcb.timewaitPawsRejects(peer(RST | ACK, 11, 2, 0, 119)));
  }

  @Test
  void nothingFailsPawsOnceTsRecentIsTcpPawsWrapOld() {
    ObservedTcb tcb = finWait2Orphan();
    tcb.at(300 + 2_145_000);
    assertTrue(tcb.timewaitPawsRejects(peer(ACK, 11, 2, 0, 119)), "2145 s old");
    tcb.at(300 + 2_147_000);
    assertFalse(tcb.timewaitPawsRejects(peer(ACK, 11, 2, 0, 119)), "2147 s old: TCP_PAWS_WRAP");
  }

  @Test
  void withoutTimestampsNothingFailsPaws() {
    ObservedTcb tcb = new ObservedTcb();
    tcb.received(new Segment(0xC0000201, 0xC0A80001, 8080, 80, 0, 0, SYN, 65535, 0, List.of(), new byte[0]));
    tcb.sent(new Segment(0xC0A80001, 0xC0000201, 80, 8080, ISS, 1, SYN | ACK, 65535, 0, List.of(), new byte[0]));
    tcb.received(new Segment(0xC0000201, 0xC0A80001, 8080, 80, 1, ISS + 1, ACK, 502, 0, List.of(), new byte[0]));
    assertFalse(tcb.pawsRejects(peer(ACK | PSH, 1, 1, 10, 0)));
  }

  /** Handshake at time 0 to 100 ms: TS.Recent 110 from the ACK of our SYN-ACK. */
  private static ObservedTcb established() {
    ObservedTcb tcb = new ObservedTcb();
    tcb.at(0);
    tcb.received(new Segment(0xC0000201, 0xC0A80001, 8080, 80, 0, 0, SYN, 65535, 0,
        List.of(new TcpOption.Timestamp(100, 0), new TcpOption.WindowScale(7)), new byte[0]));
    tcb.sent(new Segment(0xC0A80001, 0xC0000201, 80, 8080, ISS, 1, SYN | ACK, 65535, 0,
        List.of(new TcpOption.Timestamp(5000, 100), new TcpOption.WindowScale(7)), new byte[0]));
    tcb.at(100);
    tcb.received(peer(ACK, 1, 1, 0, 110));
    return tcb;
  }

  /**
   * close() after 10 bytes were read; the ACK of our FIN (TSval 120, at 300 ms) makes Linux's
   * FIN_WAIT2 timewait socket.
   */
  private static ObservedTcb finWait2Orphan() {
    ObservedTcb tcb = established();
    tcb.at(200);
    tcb.received(peer(ACK | PSH, 1, 1, 10, 115));
    tcb.sent(ours(ACK, 1, 11, 5100));
    tcb.closed = true;
    tcb.receiveShut = true;
    tcb.sent(ours(FIN | ACK, 1, 11, 5100));
    tcb.at(300);
    tcb.received(peer(ACK, 11, 2, 0, 120));
    return tcb;
  }

  /** A segment of the peer: {@code ack} relative to our ISN, {@code len} bytes of text. */
  private static Segment peer(int flags, int seq, int ack, int len, int tsVal) {
    return new Segment(0xC0000201, 0xC0A80001, 8080, 80, seq, ISS + ack, flags, 502, 0,
        List.of(new TcpOption.Timestamp(tsVal, 5000)), new byte[len]);
  }

  /** A segment of ours: {@code seq} relative to our ISN. */
  private static Segment ours(int flags, int seq, int ack, int tsVal) {
    return new Segment(0xC0A80001, 0xC0000201, 80, 8080, ISS + seq, ack, flags, 502, 0,
        List.of(new TcpOption.Timestamp(tsVal, 110)), new byte[0]);
  }
}
