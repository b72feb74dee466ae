package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.time.ManualClock;
import org.tcpspec.trace.MemoryTrace;
import org.tcpspec.trace.TraceRecord;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SeqNum;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * One stack under test on a manual clock, and a scripted peer: send a segment, expect exact
 * replies, then expect nothing (smoltcp's send/recv helpers). Canonical fixtures put a connection
 * in each RFC state with known numbers: our ISS is whatever the stack chose, the peer's IRS 5000.
 */
final class Harness {
  static final int LOCAL = 0xC0A80001; // 192.168.0.1
  static final int REMOTE = 0xC0000201; // 192.0.2.1
  static final int LOCAL_PORT = 8080;
  static final int REMOTE_PORT = 40000;
  static final int PEER_ISS = 5000;
  static final int PEER_WINDOW = 20000;

  final ManualClock clock = new ManualClock(1_000_000_000L);
  final MemoryTrace trace = new MemoryTrace();
  final Stack stack = new Stack(LOCAL, clock, trace, 42L);
  /** The connection under test; for a passive fixture, set once the half-open one is promoted. */
  Connection conn;
  /** The SYN {@link #synSent} sent (null for a harness made otherwise). */
  Segment syn;
  /** The passive fixture's connection while it is half-open (a request record of the listener). */
  HalfOpen half;
  Listener listener;

  /** Strict: an arrival or timer event the table has no row for fails the test at once. */
  Harness() {
    stack.strict(true);
  }

  // ------------------------------------------------------------ segments from the peer

  static Segment peer(int flags, int seq, int ack, byte[] payload, TcpOption... options) {
    return new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, seq, ack, flags, PEER_WINDOW, 0, List.of(options), payload);
  }

  static Segment peer(int flags, int seq, int ack) {
    return peer(flags, seq, ack, new byte[0]);
  }

  /** {@code s} with the peer's window field set to {@code window}. */
  static Segment withWindow(Segment s, int window) {
    return new Segment(s.srcIp(), s.dstIp(), s.srcPort(), s.dstPort(), s.seq(), s.ack(), s.flags(), window, 0,
        s.options(), s.payload());
  }

  /**
   * An active open to ESTABLISHED with SO_SNDBUF fixed at {@code sndBuf} (as setsockopt fixes it);
   * the peer's SYN-ACK offers {@code mss} and the window {@code window}.
   */
  static Harness activeWithSndBuf(int sndBuf, int mss, int window) {
    Harness h = new Harness();
    SocketOptions o = h.stack.defaultOptions();
    o.sndBuf = sndBuf;
    o.sndBufLocked = true;
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, o).orElseThrow();
    h.expectOne(TcpFlags.SYN);
    h.send(withWindow(peer(TcpFlags.SYN | TcpFlags.ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(mss)), window));
    h.expectOne(TcpFlags.ACK);
    h.expectState(State.ESTABLISHED);
    return h;
  }

  /**
   * An active open to ESTABLISHED with SO_RCVBUF fixed at {@code rcvBuf} (no window scaling); the
   * peer's SYN-ACK offers {@code mss}.
   */
  static Harness activeWithRcvBuf(int rcvBuf, int mss) {
    Harness h = new Harness();
    SocketOptions o = h.stack.defaultOptions();
    o.rcvBuf = rcvBuf;
    o.rcvBufLocked = true;
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, o).orElseThrow();
    h.expectOne(TcpFlags.SYN);
    h.send(peer(TcpFlags.SYN | TcpFlags.ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(mss)));
    h.expectOne(TcpFlags.ACK);
    return h;
  }

  /**
   * {@link #activeWithRcvBuf}(32000, 1000) whose receive window the peer has closed: 40000 bytes
   * taken whole (the buffer's memory is above its size, as Linux's tcp_rmem allows), and the ACK
   * 200 ms later offering a window of 0.
   */
  static Harness activeWithWindowClosed() {
    Harness h = activeWithRcvBuf(32000, 1000);
    h.send(peer(TcpFlags.ACK, PEER_ISS + 1, h.sndNxt(), bytes(40000, 0)));
    h.advanceMillis(200);
    Segment closed = h.expectOne(TcpFlags.ACK);
    assertEquals(PEER_ISS + 40001, closed.ack());
    assertEquals(0, closed.window(), "the window is closed");
    return h;
  }

  /**
   * ESTABLISHED by active open under the sysctl {@code name} = {@code value}, the peer's SYN-ACK
   * {@code rttMillis} after the SYN, with SACK permitted when {@code sack}.
   */
  static Harness activeUnderSysctl(String name, String value, long rttMillis, boolean sack) {
    Harness h = new Harness();
    h.stack.config(h.stack.config().withSysctl(name, value).orElseThrow());
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, h.stack.defaultOptions()).orElseThrow();
    h.expectOne(TcpFlags.SYN);
    h.advanceMillis(rttMillis);
    h.send(sack ? peer(TcpFlags.SYN | TcpFlags.ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.SackPermitted())
        : peer(TcpFlags.SYN | TcpFlags.ACK, PEER_ISS, h.iss() + 1));
    h.expectOne(TcpFlags.ACK);
    h.expectState(State.ESTABLISHED);
    return h;
  }

  /**
   * Writes 100 bytes, sent at once, and asserts their retransmissions {@code millis} apart, each
   * to the millisecond ({@link #expectDataAt}); the data's sequence number.
   */
  int writeAndExpectRetransmissions(long... millis) {
    stack.write(conn, bytes(100, 0), 0, 100);
    int seq = expectOne(TcpFlags.ACK | TcpFlags.PSH).seq();
    for (long m : millis) expectDataAt(seq, m);
    return seq;
  }

  /** Nothing goes and the connection lives until {@code millis} from now, then ends with ETIMEDOUT. */
  void expectTimedOutIn(long millis) {
    advanceMillis(millis - 1);
    expectNothing();
    expectState(State.ESTABLISHED);
    advanceMillis(1);
    expectNothing();
    expectState(State.CLOSED);
    assertEquals(ConnectionError.TIMED_OUT, conn.error().orElseThrow());
  }

  /**
   * Asserts one data segment (ACK and PSH) at {@code seq} exactly {@code millis} after now, and
   * nothing before it: a timer's expiry to the millisecond (retransmissions, tail loss probes).
   */
  void expectDataAt(int seq, long millis) {
    advanceMillis(millis - 1);
    expectNothing();
    advanceMillis(1);
    assertEquals(seq, expectOne(TcpFlags.ACK | TcpFlags.PSH).seq());
  }

  void send(Segment s) {
    stack.input(s);
    if (conn == null && half != null) {
      conn = stack.connections().stream().filter(c -> c.engine == half.engine).findFirst().orElse(null);
    }
  }

  List<Segment> out() {
    return stack.drainOutput();
  }

  Segment expectOne(int flags) {
    List<Segment> out = out();
    assertEquals(1, out.size(), "expected one segment, got " + out);
    Segment s = out.getFirst();
    assertEquals(TcpFlags.toPacketdrill(flags), TcpFlags.toPacketdrill(s.flags()), "flags of " + s);
    return s;
  }

  void expectNothing() {
    List<Segment> out = out();
    assertTrue(out.isEmpty(), "expected nothing, got " + out);
  }

  void expectState(State s) {
    assertEquals(s, state());
  }

  /** The state of the connection under test, half-open or not (they share the engine). */
  State state() {
    return conn != null ? conn.state() : half.state();
  }

  /** The spec actions recorded for the connection under test, in order. */
  List<Action> actions() {
    String tuple = new FourTuple(LOCAL, LOCAL_PORT, REMOTE, REMOTE_PORT).toString();
    List<Action> a = new ArrayList<>();
    for (TraceRecord r : trace.records()) if (r.connection().startsWith(tuple)) a.add(action(r));
    return a;
  }

  Action lastAction() {
    return actions().getLast();
  }

  /** The action a trace record names; a name that is no {@link Action} fails here. */
  static Action action(TraceRecord r) {
    return Action.valueOf(r.action());
  }

  void advanceMillis(long ms) {
    clock.advanceMillis(ms);
    stack.runTimers();
  }

  int iss() {
    return conn != null ? conn.tcb().iss : half.iss();
  }

  int sndUna() {
    return conn != null ? conn.tcb().sndUna : half.sndUna();
  }

  int sndNxt() {
    return conn != null ? conn.tcb().sndNxt : half.sndNxt();
  }

  int rcvNxt() {
    return conn != null ? conn.tcb().rcvNxt : half.rcvNxt();
  }

  // ------------------------------------------------------------ canonical fixtures

  /** The canonical fixture of a state: a fresh stack for CLOSED, otherwise the one named after it. */
  static Harness fixture(State s) {
    return switch (s) {
      case CLOSED -> new Harness();
      case LISTEN -> listening();
      case SYN_SENT -> synSent();
      case SYN_RECEIVED -> synReceived();
      case ESTABLISHED -> established();
      case FIN_WAIT_1 -> finWait1();
      case FIN_WAIT_2 -> finWait2();
      case CLOSE_WAIT -> closeWait();
      case CLOSING -> closing();
      case LAST_ACK -> lastAck();
      case TIME_WAIT -> timeWait();
    };
  }

  /** SYN-SENT: connect() sent our SYN. */
  static Harness synSent() {
    return synSent(UnaryOperator.identity());
  }

  /** SYN-SENT, the stack's config changed by {@code config} first (a sysctl, say). */
  static Harness synSent(UnaryOperator<StackConfig> config) {
    Harness h = new Harness();
    h.stack.config(config.apply(h.stack.config()));
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, new SocketOptions()).orElseThrow();
    h.syn = h.expectOne(TcpFlags.SYN);
    h.expectState(State.SYN_SENT);
    return h;
  }

  /**
   * The TSval of the SYN {@link #synSent} sent, for a SYN-ACK to echo: one whose TSecr echoes none
   * of our SYNs is an unacceptable ACK (Linux's PAWSACTIVEREJECTED).
   */
  int synTsVal() {
    return syn.option(TcpOption.Timestamp.class).orElseThrow().tsVal();
  }

  /** ESTABLISHED by active open; the peer sent no options (MSS 536, no scaling). */
  static Harness established() {
    return established(UnaryOperator.identity());
  }

  /** ESTABLISHED as above, under the config {@code config} makes of the default. */
  static Harness established(UnaryOperator<StackConfig> config) {
    Harness h = synSent(config);
    h.send(peer(TcpFlags.SYN | TcpFlags.ACK, PEER_ISS, h.iss() + 1));
    Segment ack = h.expectOne(TcpFlags.ACK);
    assertEquals(PEER_ISS + 1, ack.ack());
    h.expectState(State.ESTABLISHED);
    return h;
  }

  /** LISTEN on LOCAL_PORT. */
  static Harness listening() {
    Harness h = new Harness();
    h.listener = h.stack.listen(LOCAL_PORT, 8, new SocketOptions()).orElseThrow();
    h.expectNothing();
    return h;
  }

  /**
   * SYN-RECEIVED: a passive child answered the peer's SYN with a SYN-ACK; the listener keeps it as
   * a request record ({@link #half}) until the handshake completes.
   */
  static Harness synReceived() {
    Harness h = listening();
    h.send(peer(TcpFlags.SYN, PEER_ISS, 0));
    h.expectOne(TcpFlags.SYN | TcpFlags.ACK);
    h.half = h.listener.synQueue.get(0, IpAddress.lowOfIpv4(REMOTE), REMOTE_PORT);
    assertTrue(h.stack.connections().isEmpty(), "a half-open connection holds no TCB");
    h.expectState(State.SYN_RECEIVED);
    return h;
  }

  /**
   * LISTEN with Fast Open (RFC 7413): tcp_fastopen's server bit and no-cookie bit (0x202), a
   * listener with a Fast Open queue of 8, so that any SYN with data makes a Fast Open child.
   */
  static Harness listeningForFastOpen() {
    Harness h = new Harness();
    h.stack.config(h.stack.config().withSysctl("tcp_fastopen", "0x203").orElseThrow());
    SocketOptions o = new SocketOptions();
    o.fastopenQueue = 8;
    h.listener = h.stack.listen(LOCAL_PORT, 8, o).orElseThrow();
    h.expectNothing();
    return h;
  }

  /** A SYN with four bytes of data, which a Fast Open listener takes (ListenRcvSynFastOpen). */
  static Segment fastOpenSyn() {
    return peer(TcpFlags.SYN, PEER_ISS, 0, bytes(4, 0));
  }

  /**
   * SYN-RECEIVED as a Fast Open child: the SYN's data taken, its SYN-ACK acknowledging the data
   * out, a connection with a TCB in the listener's accept queue at once.
   */
  static Harness fastOpenSynReceived() {
    Harness h = listeningForFastOpen();
    h.send(fastOpenSyn());
    Segment synAck = h.expectOne(TcpFlags.SYN | TcpFlags.ACK);
    assertEquals(PEER_ISS + 5, synAck.ack(), "the SYN-ACK acknowledges the SYN's data");
    h.conn = h.stack.connections().getFirst();
    h.expectState(State.SYN_RECEIVED);
    return h;
  }

  /** SYN-RECEIVED by simultaneous open: the peer's SYN crossed ours (an active connection). */
  static Harness synReceivedBySimultaneousOpen() {
    Harness h = synSent();
    h.send(peer(TcpFlags.SYN, PEER_ISS, 0));
    h.expectOne(TcpFlags.SYN | TcpFlags.ACK);
    h.expectState(State.SYN_RECEIVED);
    return h;
  }

  /** FIN-WAIT-1: established, then close(); our FIN is out. */
  static Harness finWait1() {
    Harness h = established();
    h.stack.shutdownWrite(h.conn);
    h.expectOne(TcpFlags.FIN | TcpFlags.ACK);
    h.expectState(State.FIN_WAIT_1);
    return h;
  }

  /** FIN-WAIT-2: our FIN acknowledged. */
  static Harness finWait2() {
    Harness h = finWait1();
    h.send(peer(TcpFlags.ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectNothing();
    h.expectState(State.FIN_WAIT_2);
    return h;
  }

  /** CLOSE-WAIT: the peer's FIN received and ACKed. */
  static Harness closeWait() {
    Harness h = established();
    h.send(peer(TcpFlags.FIN | TcpFlags.ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectOne(TcpFlags.ACK);
    h.expectState(State.CLOSE_WAIT);
    return h;
  }

  /** LAST-ACK: CLOSE-WAIT, then close(); our FIN is out. */
  static Harness lastAck() {
    Harness h = closeWait();
    h.stack.shutdownWrite(h.conn);
    h.expectOne(TcpFlags.FIN | TcpFlags.ACK);
    h.expectState(State.LAST_ACK);
    return h;
  }

  /** CLOSING: simultaneous close, the peer's FIN crossed ours. */
  static Harness closing() {
    Harness h = finWait1();
    h.send(peer(TcpFlags.FIN | TcpFlags.ACK, PEER_ISS + 1, h.sndNxt() - 1));
    h.expectOne(TcpFlags.ACK);
    h.expectState(State.CLOSING);
    return h;
  }

  /** TIME-WAIT from FIN-WAIT-2. */
  static Harness timeWait() {
    Harness h = finWait2();
    h.send(peer(TcpFlags.FIN | TcpFlags.ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectOne(TcpFlags.ACK);
    h.expectState(State.TIME_WAIT);
    return h;
  }

  /** TIME-WAIT of a passive connection the application closed first (Linux: a timewait socket). */
  static Harness passiveTimeWait() {
    Harness h = synReceived();
    h.send(peer(TcpFlags.ACK, PEER_ISS + 1, h.iss() + 1));
    h.expectState(State.ESTABLISHED);
    h.listener.accept().orElseThrow();
    h.stack.close(h.conn);
    h.expectOne(TcpFlags.FIN | TcpFlags.ACK);
    h.send(peer(TcpFlags.FIN | TcpFlags.ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectOne(TcpFlags.ACK);
    h.expectState(State.TIME_WAIT);
    return h;
  }

  /**
   * FIN-WAIT-1, CLOSING or LAST-ACK with 10 bytes of data in flight before our FIN (ISS+1..ISS+10,
   * the FIN at ISS+11), so that an ACK can be new without covering the FIN.
   */
  static Harness dataInFlightBeforeOurFin(State s) {
    Harness h = new Harness();
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, new SocketOptions()).orElseThrow();
    h.out();
    h.send(peer(TcpFlags.SYN | TcpFlags.ACK, PEER_ISS, h.iss() + 1));
    h.out();
    if (s == State.LAST_ACK) {
      h.send(peer(TcpFlags.FIN | TcpFlags.ACK, PEER_ISS + 1, h.iss() + 1));
      h.out();
    }
    h.conn.options().noDelay = true;
    h.stack.write(h.conn, bytes(10, 0), 0, 10);
    h.stack.shutdownWrite(h.conn);
    assertTrue(!h.out().isEmpty());
    if (s == State.CLOSING) {
      h.send(peer(TcpFlags.FIN | TcpFlags.ACK, PEER_ISS + 1, h.iss() + 1));
      h.out();
    }
    h.expectState(s);
    return h;
  }

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (seed + i);
    return b;
  }

  static int plus(int a, int n) {
    return SeqNum.plus(a, n);
  }
}
