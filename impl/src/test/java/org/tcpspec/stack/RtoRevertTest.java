package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.IcmpError;
import org.tcpspec.wire.IpAddress;

/**
 * RFC 6069 (TCP-LD) as Linux's tcp_ld_RTO_revert: an ICMP net or host unreachable quoting SND.UNA
 * while the RTO is backed off undoes one doubling, at most the connection's maximum RTO
 * (tcp_rto_max), counted from the head's last transmission; a reverted RTO that has already passed
 * retransmits at once.
 */
class RtoRevertTest {

  /** ESTABLISHED by active open (RTO 200 ms) under a 1 s maximum, 100 bytes backed off to backoff 4. */
  private static Harness backedOffFourTimes() {
    Harness h = Harness.activeUnderSysctl("net.ipv4.tcp_rto_max_ms", "1000", 0, false);
    // 200, 400, 800, then the 1 s maximum.
    h.writeAndExpectRetransmissions(200, 400, 800, 1000);
    assertEquals(4, h.conn.tcb().rtt.backoff());
    return h;
  }


  private static final int NET_UNREACH = 0;
  private static final int HOST_UNREACH = 1;
  private static final int PORT_UNREACH = 3;

  private static void icmp(Harness h, int code, int quotedSeq) {
    h.stack.icmpInput(new IcmpError(false, IcmpError.V4_DEST_UNREACH, code, IpAddress.ipv4(LOCAL), LOCAL_PORT,
        IpAddress.ipv4(REMOTE), REMOTE_PORT, quotedSeq));
  }

  @Test
  void aRevertIsCappedByTheConnectionsMaximum() {
    // Backoff 4 to 3: min(200 ms << 3, 1 s) = 1 s from the last retransmission. The RTO in force
    // is that 1 s, not 1.6 s: a maximum raised now lets the next timeout double it to 2 s.
    Harness h = backedOffFourTimes();
    int seq = h.sndUna();
    h.advanceMillis(100);
    icmp(h, HOST_UNREACH, seq);
    h.expectNothing();
    assertEquals(3, h.conn.tcb().rtt.backoff());
    h.conn.options().rtoMaxMillis = 120_000;
    h.conn.rtoMaxChanged();
    h.expectDataAt(seq, 900);
    h.expectDataAt(seq, 2000);
  }

  @Test
  void fourRevertsBringTheRtoBackAndAPassedOneRetransmitsNow() {
    Harness h = backedOffFourTimes();
    int seq = h.sndUna();
    h.advanceMillis(50);
    // Neither a port unreachable nor one quoting another sequence number reverts.
    icmp(h, PORT_UNREACH, seq);
    icmp(h, HOST_UNREACH, seq + 50);
    assertEquals(4, h.conn.tcb().rtt.backoff());
    // 1 s, 800, 400, then 200 ms from the last retransmission.
    icmp(h, HOST_UNREACH, seq);
    icmp(h, NET_UNREACH, seq);
    icmp(h, HOST_UNREACH, seq);
    icmp(h, HOST_UNREACH, seq);
    assertEquals(0, h.conn.tcb().rtt.backoff());
    h.expectNothing();
    h.expectDataAt(seq, 150);
    // Backoff 1 (RTO 400 ms): a revert 300 ms later finds its 200 ms passed.
    h.advanceMillis(300);
    icmp(h, HOST_UNREACH, seq);
    assertEquals(seq, h.expectOne(ACK | PSH).seq());
    h.expectDataAt(seq, 400);
    h.expectState(State.ESTABLISHED);
  }
}
