package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.stack.LinuxMib.Counter.BEYOND_WINDOW;
import static org.tcpspec.stack.LinuxMib.Counter.OUT_OF_WINDOW_ICMPS;
import static org.tcpspec.stack.LinuxMib.Counter.TCP_ZERO_WINDOW_DROP;
import static org.tcpspec.wire.TcpFlags.ACK;
import static org.tcpspec.wire.TcpFlags.PSH;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.IcmpError;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Segment;

/**
 * The stack's Linux MIB counters move where Linux moves them: an ICMP error about a sequence number
 * we never sent (tcp_v4_err, tcp_req_err), text past the window offered (tcp_validate_incoming
 * after tcp_sequence), text at RCV.NXT into a zero window (tcp_data_queue). The memory counters
 * (TCPRcvQDrop, TCPOFODrop, TCPMemoryPressures) are asserted in MemoryPressureTest beside the
 * drops that move them.
 */
class LinuxMibTest {

  private static IcmpError hostUnreachable(int quotedSeq) {
    return new IcmpError(false, IcmpError.V4_DEST_UNREACH, 1, IpAddress.ipv4(LOCAL), LOCAL_PORT,
        IpAddress.ipv4(REMOTE), REMOTE_PORT, quotedSeq);
  }

  private static Segment text(int seq, int ack, int len) {
    return peer(PSH | ACK, seq, ack, bytes(len, seq));
  }

  @Test
  void anIcmpErrorQuotingASequenceNumberOutsideSndUnaToSndNxtIsCountedAsOutOfWindow() {
    Harness h = synSent();
    h.stack.icmpInput(hostUnreachable(h.iss() + 2));
    assertEquals(1, h.stack.mib().get(OUT_OF_WINDOW_ICMPS));
    h.stack.icmpInput(hostUnreachable(h.iss()));
    assertEquals(1, h.stack.mib().get(OUT_OF_WINDOW_ICMPS), "one about the SYN is in the window");
  }

  @Test
  void anIcmpErrorAboutARequestCountsUnlessItQuotesTheSynAck() {
    Harness h = synReceived();
    h.stack.icmpInput(hostUnreachable(h.iss() + 1000));
    assertEquals(1, h.stack.mib().get(OUT_OF_WINDOW_ICMPS), "tcp_req_err: seq != snt_isn");
    h.stack.icmpInput(hostUnreachable(h.iss()));
    assertEquals(1, h.stack.mib().get(OUT_OF_WINDOW_ICMPS));
  }

  @Test
  void anIcmpErrorAboutTimeWaitIsNotCounted() {
    Harness h = timeWait();
    h.stack.icmpInput(hostUnreachable(h.sndNxt() + 1000));
    assertEquals(0, h.stack.mib().get(OUT_OF_WINDOW_ICMPS), "tcp_v4_err leaves a timewait socket first");
  }

  @Test
  void textStartingPastTheWindowIsCountedBeyondWindowAndAnOldDuplicateIsNot() {
    Harness h = established();
    int edge = h.rcvNxt() + h.conn.receiver.window.receiveWindow();
    h.send(text(edge + 1000, h.sndNxt(), 100));
    h.expectOne(ACK);
    assertEquals(1, h.stack.mib().get(BEYOND_WINDOW), "SKB_DROP_REASON_TCP_INVALID_SEQUENCE");
    h.send(text(h.rcvNxt() - 1000, h.sndNxt(), 100));
    assertEquals(1, h.stack.mib().get(BEYOND_WINDOW), "SKB_DROP_REASON_TCP_OLD_SEQUENCE counts nothing");
  }

  @Test
  void textEndingPastTheWindowIsCountedWhileBytesWaitToBeReadAndTakenWholeWhenNone() {
    Harness h = established();
    h.send(text(h.rcvNxt(), h.sndNxt(), 1000));
    h.out();
    int left = h.conn.receiver.window.receiveWindow();
    h.send(text(h.rcvNxt(), h.sndNxt(), left + 100));
    assertEquals(1, h.stack.mib().get(BEYOND_WINDOW), "SKB_DROP_REASON_TCP_INVALID_END_SEQUENCE");
    assertEquals(PEER_ISS + 1 + 1000, h.rcvNxt(), "dropped whole");
  }

  @Test
  void textAtRcvNxtIntoAZeroWindowWithNothingQueuedIsAZeroWindowDrop() {
    Harness h = established();
    // Linux's receive window used up with nothing left to read: the peer filled what we offered
    // last and the application read it before an ACK offered more (tcp_receive_window is 0).
    h.conn.tcb.rcvNxt = h.conn.receiver.window.advertisedEdge();
    UnacceptableDrops.count(h.conn, text(h.rcvNxt(), h.sndNxt(), 100));
    assertEquals(1, h.stack.mib().get(TCP_ZERO_WINDOW_DROP), "tcp_data_queue: seq == rcv_nxt, window 0");
    UnacceptableDrops.count(h.conn, text(h.rcvNxt() - 50, h.sndNxt(), 100));
    assertEquals(2, h.stack.mib().get(TCP_ZERO_WINDOW_DROP), "a partial packet into a zero window");
    UnacceptableDrops.count(h.conn, text(h.rcvNxt() + 10, h.sndNxt(), 100));
    assertEquals(2, h.stack.mib().get(TCP_ZERO_WINDOW_DROP));
    assertEquals(1, h.stack.mib().get(BEYOND_WINDOW), "text starting past a zero window is beyond it");
    h.expectState(State.ESTABLISHED);
  }
}
