package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * RFC 7323 §4.3: which segments move TS.Recent, the TSval our segments echo and PAWS holds the
 * peer's segments to. Linux (tcp_replace_ts_recent, called from tcp_ack) takes a TSval only from a
 * segment at or before Last.ACK.sent (rcv_wup, the RCV.NXT our last ACK told) whose ACK is not
 * older than SND.UNA.
 */
class TsRecentTest {

  /** Established by an active open whose SYN-ACK carried TSval 200. */
  private static Harness establishedWithTimestamps() {
    Harness h = synSent();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1460),
        new TcpOption.Timestamp(200, h.synTsVal())));
    h.expectOne(ACK);
    return h;
  }

  private static int tsEcr(Segment s) {
    return s.option(TcpOption.Timestamp.class).orElseThrow().tsEcr();
  }

  /**
   * RFC 7323 §4.3 (2): "If SEG.TSval >= TS.Recent and SEG.SEQ <= Last.ACK.sent then SEG.TSval is
   * copied to TS.Recent". With the ACK of the first segment delayed, the second starts after
   * Last.ACK.sent though at RCV.NXT: the delayed ACK echoes the first segment's TSval.
   */
  @Test
  void aSegmentAfterLastAckSentLeavesTsRecent() {
    Harness h = establishedWithTimestamps();
    h.conn.options.pingpong = true;
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), bytes(100, 0), new TcpOption.Timestamp(300, 1)));
    h.expectNothing();
    h.send(peer(ACK | PSH, PEER_ISS + 101, h.sndNxt(), bytes(100, 0), new TcpOption.Timestamp(400, 1)));
    h.expectNothing();
    assertEquals(300, h.conn.tcb().tsRecent);
    h.advanceMillis(200);
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 201, ack.ack());
    assertEquals(300, tsEcr(ack));
    // The next segment starts at Last.ACK.sent again; TSval 350 passes PAWS and becomes TS.Recent.
    h.send(peer(ACK | PSH, PEER_ISS + 201, h.sndNxt(), bytes(100, 0), new TcpOption.Timestamp(350, 1)));
    assertEquals(350, h.conn.tcb().tsRecent);
    assertEquals(Action.EstablishedRcvData, h.lastAction());
  }

  /**
   * Linux tcp_ack: an ACK below SND.UNA but not too old (RFC 5961 §5.2) goes to old_ack before
   * tcp_replace_ts_recent; its text is still taken. So its TSval does not become TS.Recent, and
   * the peer's next segment with a lower TSval passes PAWS.
   */
  @Test
  void anOldAckWithTextLeavesTsRecent() {
    Harness h = establishedWithTimestamps();
    h.stack.write(h.conn, bytes(600, 0), 0, 600);
    h.expectOne(ACK | PSH);
    int una = h.iss() + 1;
    h.send(peer(ACK, PEER_ISS + 1, una + 300, new byte[0], new TcpOption.Timestamp(210, 1)));
    h.send(peer(ACK, PEER_ISS + 1, una + 600, new byte[0], new TcpOption.Timestamp(220, 1)));
    h.expectNothing();
    h.send(peer(ACK | PSH, PEER_ISS + 1, una + 300, bytes(10, 0), new TcpOption.Timestamp(900, 1)));
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 11, ack.ack());
    assertEquals(220, tsEcr(ack));
    assertEquals(Action.EstablishedRcvData, h.lastAction());
    h.send(peer(ACK | PSH, PEER_ISS + 11, una + 600, bytes(10, 0), new TcpOption.Timestamp(230, 1)));
    assertEquals(PEER_ISS + 21, h.expectOne(ACK).ack());
    assertEquals(230, h.conn.tcb().tsRecent);
  }
}
