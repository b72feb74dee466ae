package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.Engine;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * Issue 13, listener hardening: the SYN queue bounded by the backlog (Linux
 * inet_csk_reqsk_queue_is_full, tcp_conn_request), request records without buffers, SYN cookies
 * (RFC 4987, Linux syncookies.c) and the flag combinations a listener drops as Linux does.
 */
class ListenerHardeningTest {

  static Segment syn(int port, TcpOption... options) {
    return new Segment(REMOTE, LOCAL, port, LOCAL_PORT, 1000 + port, 0, SYN, 65535, 0, List.of(options), new byte[0]);
  }

  static Segment ackOf(Segment synAck, int port, TcpOption... options) {
    return new Segment(REMOTE, LOCAL, port, LOCAL_PORT, synAck.ack(), synAck.seq() + 1, ACK, 65535, 0, List.of(options),
        new byte[0]);
  }

  static Harness listening(int backlog, String... sysctls) {
    Harness h = new Harness();
    for (int i = 0; i < sysctls.length; i += 2) {
      h.stack.config(h.stack.config().withSysctl(sysctls[i], sysctls[i + 1]).orElseThrow());
    }
    h.listener = h.stack.listen(LOCAL_PORT, backlog, new SocketOptions()).orElseThrow();
    return h;
  }

  @Test
  void halfOpenConnectionsNeverExceedTheBacklogWithoutCookies() {
    Harness h = listening(8, "tcp_syncookies", "0");
    for (int port = 1; port <= 100; port++) {
      h.send(syn(port));
      assertEquals(port <= 8 ? 1 : 0, h.out().size(), "SYN from port " + port);
      assertTrue(h.listener.halfOpen() <= 8);
    }
    assertEquals(8, h.listener.halfOpen());
    assertTrue(h.stack.connections().isEmpty(), "no connection with buffers before a handshake completes");
  }

  @Test
  void beyondTheBacklogSynsGetCookiesAndNoRecord() {
    Harness h = listening(8);
    for (int port = 1; port <= 1000; port++) {
      h.send(syn(port));
      Segment synAck = h.expectOne(SYN | ACK);
      assertEquals(1000 + port + 1, synAck.ack());
    }
    assertEquals(8, h.listener.halfOpen(), "records for the first 8, cookies for the rest");
    assertTrue(h.stack.connections().isEmpty());
  }

  @Test
  void aRequestRecordHoldsNoBuffersOnlyAFewWords() {
    // What a half-open connection costs is its record, its engine and a slot of the SYN queue:
    // primitives and references to shared objects, no arrays, no TCB, no socket options.
    Set<Class<?>> shared = Set.of(Listener.class, Engine.class, PassiveOpen.class, SegmentView.class);
    for (Field f : HalfOpen.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) continue;
      assertTrue(f.getType().isPrimitive() || shared.contains(f.getType()), "HalfOpen." + f.getName() + ": " + f.getType());
    }
    long words = java.util.Arrays.stream(HalfOpen.class.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers())).count();
    assertTrue(words <= 20, words + " fields");
  }

  @Test
  void theBacklogIsAtMostSomaxconnAsLinuxListenMakesIt() {
    Harness h = listening(100_000);
    assertEquals(4096, h.listener.backlog());
    Harness small = listening(-1, "net.core.somaxconn", "16");
    assertEquals(16, small.listener.backlog());
  }

  @Test
  void withoutCookiesTheLastQuarterOfTcpMaxSynBacklogStaysFree() {
    // tcp_conn_request: with tcp_syncookies 0, a SYN is dropped once fewer than a quarter of
    // tcp_max_syn_backlog remain (kept for peers proven alive; we know none).
    Harness h = listening(100, "tcp_syncookies", "0", "tcp_max_syn_backlog", "16");
    for (int port = 1; port <= 20; port++) {
      h.send(syn(port));
      h.out();
    }
    assertEquals(13, h.listener.halfOpen(), "16 - 13 = 3 < 16 / 4 stops the 14th");
  }

  @Test
  void aCompletedHandshakeLeavesTheQueueForTheAcceptQueue() {
    Harness h = listening(8);
    h.send(syn(7));
    Segment synAck = h.expectOne(SYN | ACK);
    h.send(ackOf(synAck, 7));
    h.expectNothing();
    assertEquals(0, h.listener.halfOpen());
    Connection c = h.listener.accept().orElseThrow();
    assertEquals(State.ESTABLISHED, c.state());
    assertEquals(synAck.seq() + 1, c.tcb().sndUna);
    // Its buffers start small and grow with what it sends and receives (tcp_rmem/tcp_wmem limits).
    assertTrue(c.tcb().receiveBuffer.allocated() <= 2048 && c.tcb().sendBuffer.allocated() <= 2048);
  }

  @Test
  void cookiesRoundTripMssWindowScaleSackAndTimestamps() {
    // tcp_syncookies 2: a cookie for every SYN. The MSS rounds down in Linux's table (1400 ->
    // 1300); window scale and SACK-permitted travel in the low 6 bits of our TSval.
    Harness h = listening(8, "tcp_syncookies", "2");
    h.clock.advanceMillis(123_456);
    h.send(syn(9, new TcpOption.Mss(1400), new TcpOption.SackPermitted(), new TcpOption.Timestamp(777, 0),
        new TcpOption.Nop(), new TcpOption.WindowScale(9)));
    Segment synAck = h.expectOne(SYN | ACK);
    assertEquals(0, h.listener.halfOpen(), "no record kept");
    TcpOption.Timestamp ts = synAck.option(TcpOption.Timestamp.class).orElseThrow();
    assertEquals(9 | 0x10, ts.tsVal() & 0x3F, "wscale 9 and SACK in TSval's low bits");
    assertTrue(Integer.toUnsignedLong(ts.tsVal()) <= h.clock.nowMillis(), "never ahead of the clock");
    assertEquals(777, ts.tsEcr());
    assertTrue(synAck.option(TcpOption.SackPermitted.class).isPresent());
    int ourShift = synAck.option(TcpOption.WindowScale.class).orElseThrow().shift();
    assertEquals(1460, synAck.option(TcpOption.Mss.class).orElseThrow().mss(), "we offer our own MSS");

    h.clock.advanceMillis(30);
    h.send(ackOf(synAck, 9, new TcpOption.Timestamp(800, ts.tsVal())));
    h.expectNothing();
    Connection c = h.listener.accept().orElseThrow();
    assertEquals(State.ESTABLISHED, c.state());
    assertEquals(1300 - 12, c.tcb().sndMss, "MSS from the cookie, less the timestamp option");
    assertTrue(c.tcb().wscaleOk);
    assertEquals(9, c.tcb().sndWscale);
    assertEquals(ourShift, c.tcb().rcvWscale);
    assertTrue(c.tcb().sackOk);
    assertTrue(c.tcb().tsOk);
    assertEquals(800, c.tcb().tsRecent);
    String name = new FourTuple(LOCAL, LOCAL_PORT, REMOTE, 9).toString();
    assertEquals(List.of(Action.PASSIVE_OPEN, Action.ListenRcvSyn, Action.SynReceivedRcvAck),
        h.trace.records().stream().filter(r -> r.connection().startsWith(name)).map(Harness::action).toList(),
        "the cookie's connection takes the rows of the SYN, then of the ACK");
  }

  @Test
  void withoutTimestampsACookieCarriesOnlyTheMss() {
    // Linux tcp_clear_options: no TSval to carry them, so no window scale and no SACK offered.
    Harness h = listening(8, "tcp_syncookies", "2");
    h.send(syn(10, new TcpOption.Mss(1460), new TcpOption.SackPermitted(), new TcpOption.WindowScale(7)));
    Segment synAck = h.expectOne(SYN | ACK);
    assertEquals(List.of(new TcpOption.Mss(1460)), synAck.options());
    h.send(ackOf(synAck, 10));
    Connection c = h.listener.accept().orElseThrow();
    assertEquals(1460, c.tcb().sndMss);
    assertFalse(c.tcb().wscaleOk);
    assertFalse(c.tcb().sackOk);
    assertFalse(c.tcb().tsOk);
  }

  @Test
  void aForgedOrStaleCookieMeetsTheListener() {
    Harness h = listening(8, "tcp_syncookies", "2");
    h.send(syn(11));
    Segment synAck = h.expectOne(SYN | ACK);
    // Not a cookie of ours: the listener answers an ACK with a RST (§3.10.7.2).
    h.send(new Segment(REMOTE, LOCAL, 11, LOCAL_PORT, synAck.ack(), synAck.seq() + 12345, ACK, 65535, 0, List.of(),
        new byte[0]));
    h.expectOne(RST);
    // Two minutes later the cookie is too old (Linux MAX_SYNCOOKIE_AGE).
    h.clock.advanceMillis(120_000);
    h.send(ackOf(synAck, 11));
    h.expectOne(RST);
    assertTrue(h.listener.accept().isEmpty());
  }

  @Test
  void aCookieIsGoodInTheMinuteAfterItWasMade() {
    Harness h = listening(8, "tcp_syncookies", "2");
    h.send(syn(12));
    Segment synAck = h.expectOne(SYN | ACK);
    h.clock.advanceMillis(61_000);
    h.send(ackOf(synAck, 12));
    h.expectNothing();
    assertTrue(h.listener.accept().isPresent());
  }

  @Test
  void whileTheAcceptQueueIsFullSynsAndCompletingAcksAreDropped() {
    // Linux: sk_acceptq_is_full (more than backlog waiting) drops a SYN in tcp_conn_request and
    // the completing ACK in tcp_v4_syn_recv_sock; the request stays and completes later.
    Harness h = listening(2, "tcp_syncookies", "0");
    for (int port = 13; port <= 14; port++) {
      h.send(syn(port));
      h.send(ackOf(h.expectOne(SYN | ACK), port));
    }
    h.send(syn(15));
    Segment synAck15 = h.expectOne(SYN | ACK);
    h.send(syn(16));
    Segment synAck16 = h.expectOne(SYN | ACK);
    h.send(ackOf(synAck15, 15));
    h.expectNothing();
    assertEquals(3, h.stack.connections().size(), "backlog + 1 connections wait");
    h.send(ackOf(synAck16, 16));
    assertEquals(3, h.stack.connections().size(), "the ACK was dropped");
    assertEquals(1, h.listener.halfOpen(), "its request stays");
    h.send(syn(17));
    h.expectNothing();
    h.listener.accept().orElseThrow();
    h.send(ackOf(synAck16, 16));
    assertEquals(0, h.listener.halfOpen());
    assertEquals(4, h.stack.connections().size(), "the accepted one and three waiting");
  }

  // ------------------------------------------------------------ flag combinations, Linux's order

  @Test
  void synFinToAListenerIsDropped() {
    // Linux tcp_rcv_state_process (TCP_LISTEN): "if (th->fin) goto discard" for a SYN.
    Harness h = listening(8);
    h.send(new Segment(REMOTE, LOCAL, 20, LOCAL_PORT, 100, 0, SYN | FIN, 65535, 0, List.of(), new byte[0]));
    h.expectNothing();
    assertEquals(0, h.listener.halfOpen());
    assertEquals(Action.ListenRcvOther, action(h.trace.records().getLast()));
  }

  @Test
  void otherFlagCombinationsToAListenerAsLinux() {
    Harness h = listening(8);
    // RST with anything is dropped; with ACK Linux's reset reply never answers a RST either.
    for (int flags : new int[] {SYN | RST, RST | ACK, SYN | RST | ACK, RST | FIN}) {
      h.send(new Segment(REMOTE, LOCAL, 21, LOCAL_PORT, 100, 5, flags, 65535, 0, List.of(), new byte[0]));
      h.expectNothing();
    }
    // Any ACK, SYN-ACK and FIN-ACK included, gets <SEQ=SEG.ACK><CTL=RST>.
    for (int flags : new int[] {ACK, SYN | ACK, FIN | ACK, SYN | FIN | ACK, ACK | PSH | URG}) {
      h.send(new Segment(REMOTE, LOCAL, 22, LOCAL_PORT, 100, 4242, flags, 65535, 0, List.of(), new byte[0]));
      assertEquals(4242, h.expectOne(RST).seq(), TcpFlags.toPacketdrill(flags));
    }
    // No flags, FIN, PSH, URG alone: dropped.
    for (int flags : new int[] {0, FIN, PSH, URG, FIN | PSH | URG}) {
      h.send(new Segment(REMOTE, LOCAL, 23, LOCAL_PORT, 100, 0, flags, 65535, 0, List.of(), new byte[0]));
      h.expectNothing();
    }
    // A SYN with PSH, URG, ECE and CWR is a SYN, an ECN-setup one (tcp_ecn 2 answers it with ECE).
    h.send(new Segment(REMOTE, LOCAL, 24, LOCAL_PORT, 100, 0, SYN | PSH | URG | ECE | CWR, 65535, 0, List.of(),
        new byte[0]));
    h.expectOne(SYN | ACK | ECE);
    assertEquals(1, h.listener.halfOpen());
  }

}
