package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.IcmpError;
import org.tcpspec.wire.IpAddress;

/**
 * RFC 9293 §3.9.2.2: an ICMP error reaches the connection whose segment it quotes (MUST-54); a
 * hard one ends a connection attempt (SHLD-26, SynSentRcvIcmpHardError), a soft one is kept for
 * the application (SHLD-25, MUST-47) and never aborts (MUST-56), a source quench is discarded
 * (MUST-55). Linux's tcp_v4_err is the reference for the errors and the sequence check.
 */
class IcmpErrorsTest {

  private static IcmpError v4(int type, int code, int quotedSeq) {
    return new IcmpError(false, type, code, IpAddress.ipv4(LOCAL), LOCAL_PORT, IpAddress.ipv4(REMOTE), REMOTE_PORT,
        quotedSeq);
  }

  @Test
  void portUnreachableInSynSentRefusesTheConnection() {
    Harness h = synSent();
    h.stack.icmpInput(v4(IcmpError.V4_DEST_UNREACH, 3, h.iss()));
    h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(Action.SynSentRcvIcmpHardError, h.lastAction());
    assertEquals(ConnectionError.REFUSED, h.conn.error().orElseThrow());
    assertTrue(h.stack.connections().isEmpty());
  }

  @Test
  void protocolUnreachableInSynSentIsAHardErrorToo() {
    Harness h = synSent();
    h.stack.icmpInput(v4(IcmpError.V4_DEST_UNREACH, 2, h.iss()));
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.PROTOCOL_UNREACHABLE, h.conn.error().orElseThrow());
  }

  @Test
  void hostUnreachableInSynSentIsReportedAndTheSynRetriesGoOnThenReportIt() {
    Harness h = synSent();
    h.stack.icmpInput(v4(IcmpError.V4_DEST_UNREACH, 1, h.iss()));
    h.expectNothing();
    h.expectState(State.SYN_SENT);
    assertEquals(Optional.empty(), h.conn.error());
    h.advanceMillis(1000);
    h.expectOne(SYN);
    for (int i = 0; i < 10 && h.conn.state() == State.SYN_SENT; i++) {
      h.clock.advanceNanos(h.stack.nextDeadlineNanos() - h.clock.nowNanos());
      h.stack.runTimers();
      h.out();
    }
    h.expectState(State.CLOSED);
    assertEquals(Action.SynSentTimeout, h.lastAction());
    // Linux tcp_write_err: sk_err_soft ?: ETIMEDOUT.
    assertEquals(ConnectionError.HOST_UNREACHABLE, h.conn.error().orElseThrow());
  }

  @Test
  void soErrorTakesTheSoftErrorOnce() {
    Harness h = synSent();
    h.stack.icmpInput(v4(IcmpError.V4_TIME_EXCEEDED, 0, h.iss()));
    assertEquals(Optional.of(ConnectionError.HOST_UNREACHABLE), h.conn.takeSoftError());
    assertEquals(Optional.empty(), h.conn.takeSoftError());
  }

  @Test
  void anErrorQuotingASequenceNumberOutsideSndUnaToSndNxtIsDropped() {
    Harness h = synSent();
    h.stack.icmpInput(v4(IcmpError.V4_DEST_UNREACH, 3, h.iss() + 2));
    h.stack.icmpInput(v4(IcmpError.V4_DEST_UNREACH, 3, h.iss() - 1));
    h.expectState(State.SYN_SENT);
    assertEquals(Optional.empty(), h.conn.takeSoftError());
  }

  @Test
  void anErrorAboutAnotherConnectionIsDropped() {
    Harness h = synSent();
    h.stack.icmpInput(new IcmpError(false, IcmpError.V4_DEST_UNREACH, 3, IpAddress.ipv4(LOCAL), LOCAL_PORT + 1,
        IpAddress.ipv4(REMOTE), REMOTE_PORT, h.iss()));
    h.expectState(State.SYN_SENT);
  }

  @Test
  void sourceQuenchAndFragmentationNeededReportNoError() {
    Harness h = synSent();
    h.stack.icmpInput(v4(IcmpError.V4_SOURCE_QUENCH, 0, h.iss()));
    // Path MTU discovery (PathMtuDiscoveryTest): a SYN without data is not sent again.
    h.stack.icmpInput(v4(IcmpError.V4_DEST_UNREACH, 4, h.iss()));
    h.expectNothing();
    h.expectState(State.SYN_SENT);
    assertEquals(Optional.empty(), h.conn.takeSoftError());
  }

  @Test
  void aHardErrorOnAnEstablishedConnectionIsOnlyReportedAndAnAckClearsASoftOne() {
    Harness h = established();
    h.stack.write(h.conn, new byte[100], 0, 100);
    h.expectOne(ACK | PSH);
    h.stack.icmpInput(v4(IcmpError.V4_DEST_UNREACH, 3, h.sndUna()));
    h.expectState(State.ESTABLISHED);
    assertEquals(Optional.empty(), h.conn.error());
    h.stack.icmpInput(v4(IcmpError.V4_DEST_UNREACH, 0, h.sndUna()));
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    // Linux tcp_ack: "We passed data and got it acked, remove any soft error log."
    assertEquals(Optional.empty(), h.conn.takeSoftError());
  }

  @Test
  void icmpv6PortUnreachableRefusesAddressUnreachableIsSoftAndPacketTooBigIsPathMtu() {
    assertEquals(new IcmpInput.Hard(ConnectionError.REFUSED),
        IcmpInput.of(new IcmpError(true, IcmpError.V6_DEST_UNREACH, 4, null, 0, null, 0, 0)));
    assertEquals(new IcmpInput.Soft(ConnectionError.HOST_UNREACHABLE),
        IcmpInput.of(new IcmpError(true, IcmpError.V6_DEST_UNREACH, 3, null, 0, null, 0, 0)));
    assertEquals(new IcmpInput.PathMtu(1300),
        IcmpInput.of(new IcmpError(true, IcmpError.V6_PACKET_TOO_BIG, 0, null, 0, null, 0, 0, 1300)));
  }
}
