package org.tcpspec.fuzz;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.ge;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tcpspec.fsm.State;
import org.tcpspec.stack.Connection;
import org.tcpspec.stack.Listener;
import org.tcpspec.stack.SocketOptions;
import org.tcpspec.stack.Stack;
import org.tcpspec.tcb.ChunkPool;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.time.ManualClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentReader;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * A stack under attack, on a manual clock (issue 13). An honest peer, a second stack, keeps an
 * echo connection open to the target's listener and streams bytes whose value is a function of
 * their offset; between its segments the fuzzer feeds the target adversarial packets ({@link
 * Adversary}, mutated by {@link RawPacket}) through the flyweight the TUN loop uses, and completes
 * some of the handshakes the forged SYNs started. After every step it checks:
 *
 * <ul>
 *   <li>nothing was thrown, no arrival or timer event met a state without a row (both stacks are
 *       strict: an unreachable event throws and is a finding);
 *   <li>SND.UNA =< SND.NXT, and no more is in flight than the send buffer, a SYN and a FIN hold;
 *   <li>RCV.NXT never moves back;
 *   <li>what the target's application reads is, byte for byte, the peer's stream in order, and
 *       never more than the peer wrote; text a segment must not deliver (RFC 9293 §3.10.7.4 and
 *       RFC 5961 §5.2: no ACK, SYN or RST, an ACK outside [SND.UNA - MAX.SND.WND, SND.NXT],
 *       nothing in the window) is a poison byte the stream never contains;
 *   <li>what the peer reads back is the same stream: the target sends only what it was given;
 *   <li>memory stays bounded: half-open records at most the backlog, a bounded number of
 *       connections, no buffer beyond its limit, the stack's memory accounting (tcp_mem) at least
 *       what its connections hold; the two stacks fall quiet (no ACK storm).
 * </ul>
 *
 * A finding records the seed and the segment count; the same seed replays the same run.
 */
public final class SegmentFuzzer {
  static final int TARGET = 0xC0000202; // 192.0.2.2, our stack's address in serve
  static final int PEER = 0xC0A80001; // 192.168.0.1
  static final int PORT = 8080;
  static final int BACKLOG = 16;
  static final int MAX_CONNECTIONS = 64;
  /** A run stops collecting after this many findings: the first ones say the most. */
  private static final int MAX_FINDINGS = 20;
  /** A fresh world (stacks, listener, config) every so many segments, so configs vary. */
  private static final long WORLD_SEGMENTS = 20_000;
  private static final int MAX_PUMP_ROUNDS = 1_000;
  /** Never a byte of the honest stream ({@link #streamByte} is below 251). */
  private static final byte POISON = (byte) 0xFF;

  private final long seed;
  private final SplittableRandom rnd;
  private final Adversary adversary;
  private final RawPacket raw = new RawPacket();
  private final SegmentReader reader = new SegmentReader();
  private final List<Finding> findings = new ArrayList<>();
  private final byte[] buffer = new byte[64 * 1024];

  private ManualClock clock;
  private Stack target;
  private Stack peer;
  private Listener listener;
  private Connection client;
  private Connection server;
  private int nextPeerPort = 40000;
  /** The honest stream: bytes the peer wrote, the target read, the peer read back. */
  private long written;
  private long delivered;
  private long echoed;
  private long echoReceived;
  private Map<Tcb, Integer> lastRcvNxt = new IdentityHashMap<>();
  private byte[] lastPacket = new byte[0];
  private long worldStart;

  private long segments;
  private long malformed;
  private long toConnection;
  private long toListener;
  private long handshakesCompleted;
  private long connections;
  private long bytesDelivered;

  public SegmentFuzzer(long seed) {
    this.seed = seed;
    this.rnd = new SplittableRandom(seed);
    this.adversary = new Adversary(rnd);
    newWorld();
  }

  /** Feeds up to {@code maxSegments} adversarial packets, or fewer if {@code maxNanos} of real time pass. */
  public FuzzReport run(long maxSegments, long maxNanos) {
    long start = System.nanoTime();
    while (segments < maxSegments && findings.size() < MAX_FINDINGS) {
      if ((segments & 0xFF) == 0 && System.nanoTime() - start >= maxNanos) break;
      if (segments - worldStart >= WORLD_SEGMENTS) newWorld();
      int before = findings.size();
      try {
        step();
        check();
      } catch (RuntimeException | StackOverflowError | AssertionError e) {
        StackTraceElement[] at = e.getStackTrace();
        find("exception", e + (at.length > 0 ? " at " + at[0] : "") + (at.length > 1 ? ", " + at[1] : ""));
      }
      if (findings.size() > before) newWorld();
    }
    return new FuzzReport(segments, malformed, toConnection, toListener, handshakesCompleted, connections,
        bytesDelivered, List.copyOf(findings));
  }

  // ---------------------------------------------------------------- the world

  private void newWorld() {
    clock = new ManualClock(1_000_000_000L);
    target = new Stack(TARGET, clock, TraceSink.NONE, rnd.nextLong());
    peer = new Stack(PEER, clock, TraceSink.NONE, rnd.nextLong());
    target.strict(true);
    peer.strict(true);
    // Linux's knobs that change what the target does under attack, drawn per world.
    target.config(target.config().withSysctl("tcp_syncookies", String.valueOf(rnd.nextInt(3))).orElseThrow());
    if (rnd.nextBoolean()) {
      target.config(target.config().withSysctl("tcp_challenge_ack_limit", String.valueOf(1 + rnd.nextInt(100)))
          .orElseThrow());
    }
    if (rnd.nextInt(4) == 0) target.config(target.config().withSysctl("tcp_timestamps", "0").orElseThrow());
    // A tcp_mem of a few pages: the honest stream and the attack run into memory pressure.
    if (rnd.nextInt(4) == 0) target.config(target.config().withSysctl("tcp_mem", "1 2 4").orElseThrow());
    // The adversary's URG segments may make an octet of the honest stream urgent (RFC 9293 §3.8.5:
    // any acceptable segment may, even one whose text is not taken); inline it stays in the stream
    // that the invariant compares (SO_OOBINLINE).
    SocketOptions options = target.defaultOptions();
    options.oobInline = true;
    listener = target.listen(PORT, BACKLOG, options).orElseThrow();
    client = null;
    server = null;
    lastRcvNxt = new IdentityHashMap<>();
    worldStart = segments;
  }

  private void step() {
    honestConnection();
    int r = rnd.nextInt(100);
    if (r < 70) {
      adversarial();
    } else if (r < 90) {
      peerWrites();
    } else {
      clock.advanceMillis(rnd.nextInt(20) == 0 ? rnd.nextLong(1_000, 70_000) : rnd.nextLong(1, 300));
      target.runTimers();
      peer.runTimers();
    }
    pump();
    applications();
    pump();
  }

  /** Keeps one honest connection: a new one once the last was reset, closed or gave up. */
  private void honestConnection() {
    if (client != null && server != null) {
      if (client.state() == State.ESTABLISHED && server.state() == State.ESTABLISHED) return;
    } else if (client != null && (client.state() == State.SYN_SENT || client.state() == State.ESTABLISHED)) {
      return; // the handshake may still complete (a SYN retransmitted, a cookie)
    }
    if (client != null && client.state() != State.CLOSED) peer.abort(client);
    if (server != null && server.state() != State.CLOSED) target.abort(server);
    pump();
    int port = nextPeerPort;
    nextPeerPort = port == 60999 ? 40000 : port + 1;
    client = peer.connect(port, TARGET, PORT, peer.defaultOptions()).orElse(null);
    server = null;
    written = delivered = echoed = echoReceived = 0;
    connections++;
    pump();
    applications();
  }

  private void peerWrites() {
    if (client == null || client.state() != State.ESTABLISHED) return;
    int n = 1 + rnd.nextInt(4096);
    for (int i = 0; i < n; i++) buffer[i] = streamByte(written + i);
    int taken = peer.write(client, buffer, 0, n);
    if (taken > 0) written += taken;
  }

  /** The target's application echoes; the peer's reads the echo; forged connections are reset. */
  private void applications() {
    for (var accepted = listener.accept(); accepted.isPresent(); accepted = listener.accept()) {
      Connection c = accepted.get();
      boolean honest = client != null && server == null && c.tuple().remoteAddr().equals(IpAddress.ipv4(PEER))
          && c.tuple().remotePort() == client.tuple().localPort();
      if (honest) server = c;
      else target.abort(c);
    }
    if (server != null) {
      for (int n; (n = target.read(server, buffer, 0, buffer.length)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == streamByte(delivered + i)) continue;
          find(buffer[i] == POISON ? "delivered what the peer did not send" : "delivered out of order",
              "byte " + buffer[i] + " at offset " + (delivered + i));
          break;
        }
        delivered += n;
        bytesDelivered += n;
      }
      if (delivered > written) find("delivered more than the peer sent", delivered + " > " + written);
      while (echoed < delivered) {
        int n = (int) Math.min(buffer.length, delivered - echoed);
        for (int i = 0; i < n; i++) buffer[i] = streamByte(echoed + i);
        int taken = target.write(server, buffer, 0, n);
        if (taken <= 0) break;
        echoed += taken;
      }
    }
    if (client != null) {
      for (int n; (n = peer.read(client, buffer, 0, buffer.length)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == streamByte(echoReceived + i)) continue;
          find("sent what it was not given", "echo byte " + buffer[i] + " at offset " + (echoReceived + i));
          break;
        }
        echoReceived += n;
      }
    }
  }

  /** Moves segments between the stacks until both are quiet; answers some forged SYN-ACKs. */
  private void pump() {
    for (int round = 0; ; round++) {
      List<Segment> fromTarget = target.drainOutput();
      List<Segment> fromPeer = peer.drainOutput();
      if (fromTarget.isEmpty() && fromPeer.isEmpty()) return;
      if (round == MAX_PUMP_ROUNDS) {
        find("ACK storm", "the stacks exchanged segments for " + MAX_PUMP_ROUNDS + " rounds without falling quiet");
        return;
      }
      for (Segment s : fromTarget) {
        if (s.dstAddr() == PEER) deliver(peer, s);
        else if (s.has(TcpFlags.SYN) && s.has(TcpFlags.ACK) && rnd.nextInt(4) == 0) completeHandshake(s);
      }
      for (Segment s : fromPeer) deliver(target, s);
    }
  }

  private void deliver(Stack to, Segment s) {
    byte[] p = SegmentEmitter.emit(s);
    if (reader.wrap(p, 0, p.length)) to.input(reader);
  }

  /** The ACK a forged source would send for a SYN-ACK it saw: record promotion, or a cookie. */
  private void completeHandshake(Segment synAck) {
    RawPacket.Fields f = new RawPacket.Fields();
    f.src = synAck.dstAddr();
    f.dst = synAck.srcAddr();
    f.srcPort = synAck.dstPort();
    f.dstPort = synAck.srcPort();
    f.seq = synAck.ack();
    f.ack = plus(synAck.seq(), 1);
    f.flags = TcpFlags.ACK;
    f.window = 65535;
    synAck.option(TcpOption.Timestamp.class).ifPresent(ts -> f.options = new byte[] {
        1, 1, 8, 10, 0, 0, 0, 1, (byte) (ts.tsVal() >>> 24), (byte) (ts.tsVal() >>> 16), (byte) (ts.tsVal() >>> 8),
        (byte) ts.tsVal()});
    byte[] p = raw.build(f);
    if (reader.wrap(p, 0, p.length)) {
      handshakesCompleted++;
      target.input(reader);
    }
  }

  // ---------------------------------------------------------------- adversarial packets

  private void adversarial() {
    RawPacket.Fields f = new RawPacket.Fields();
    f.dst = TARGET;
    f.dstPort = PORT;
    int kind = rnd.nextInt(100);
    if (kind < 50 && server != null && server.state().isSynchronized()) {
      f.src = PEER;
      f.srcPort = server.tuple().remotePort();
      adversary.inConnection(f, server.tcb());
      // Text the target may take must be what the peer wrote: trim it to there.
      if (mayAccept(f.seq, f.ack, f.flags, f.payloadLength)) {
        int allowedEnd = plus(server.tcb().irs, 1 + written);
        int dataStart = plus(f.seq, (f.flags & TcpFlags.SYN) != 0 ? 1 : 0);
        f.payloadLength = gt(allowedEnd, dataStart) ? Math.min(f.payloadLength, distance(dataStart, allowedEnd)) : 0;
      }
    } else {
      adversary.toListener(f);
      if (kind >= 90) f.dstPort = 1 + rnd.nextInt(65535);
    }
    byte[] p = raw.build(f);
    if (rnd.nextInt(5) == 0) p = RawPacket.mutate(p, rnd, raw);
    if (!writeText(p)) return;
    lastPacket = p;
    segments++;
    if (!reader.wrap(p, 0, p.length) || reader.dstAddr() != TARGET) {
      malformed++;
      return;
    }
    if (honest(reader.srcAddr(), reader.srcPort(), reader.dstPort())) toConnection++;
    else if (reader.dstPort() == PORT) toListener++;
    target.input(reader);
  }

  /**
   * Writes the packet's text once its header is final: the honest stream's bytes where the target
   * may take them, poison where it must not. False for a packet that would carry text the peer has
   * not written yet (a mutation moved it there): it is not sent.
   */
  private boolean writeText(byte[] p) {
    if (!reader.wrap(p, 0, p.length)) return true; // the parser drops it: its text does not matter
    int len = reader.payloadLength();
    // Where the text starts: the IP header and the TCP data offset as the bytes say them (the
    // packet may carry trailing bytes beyond the IP total length).
    int ipHeader = (p[0] & 0xF) * 4;
    int at = ipHeader + ((p[ipHeader + 12] >>> 4) & 0xF) * 4;
    boolean take = server != null && server.state().isSynchronized()
        && honest(reader.srcAddr(), reader.srcPort(), reader.dstPort())
        && mayAccept(reader.seq(), reader.has(TcpFlags.ACK) ? reader.ack() : 0, reader.flags(), len);
    if (!take) {
      java.util.Arrays.fill(p, at, at + len, POISON);
    } else {
      long offset = distance(plus(server.tcb().irs, 1), reader.seq());
      if (offset + len > written) return false;
      // Bytes before the stream's start lie before RCV.NXT and are never taken.
      for (int i = 0; i < len; i++) p[at + i] = offset + i < 0 ? 0 : streamByte(offset + i);
    }
    raw.fixChecksums(p);
    return true;
  }

  /**
   * Whether RFC 9293 §3.10.7.4 with RFC 5961 §5.2 would let this segment's text reach the
   * application of the honest connection: ACK on, no SYN or RST, the ACK in [SND.UNA - MAX.SND.WND,
   * SND.NXT] (the RFC's bound; Linux's is tighter), some of it in the window.
   */
  private boolean mayAccept(int seq, int ack, int flags, int len) {
    Tcb tcb = server.tcb();
    if ((flags & (TcpFlags.RST | TcpFlags.SYN)) != 0 || (flags & TcpFlags.ACK) == 0) return false;
    if (lt(ack, tcb.sndUna - (int) tcb.maxSndWnd) || gt(ack, tcb.sndNxt)) return false;
    if (le(plus(seq, len), tcb.rcvNxt)) return false;
    return !ge(seq, plus(tcb.rcvNxt, tcb.rcvWnd()));
  }

  private boolean honest(int src, int srcPort, int dstPort) {
    return server != null && src == PEER && srcPort == server.tuple().remotePort() && dstPort == PORT;
  }

  /** The honest stream: byte {@code i} is a function of {@code i}, never {@link #POISON}. */
  static byte streamByte(long i) {
    return (byte) ((i * 7 + (i >>> 8)) % 251);
  }

  // ---------------------------------------------------------------- invariants

  private void check() {
    Map<Tcb, Integer> seen = new IdentityHashMap<>();
    List<Connection> all = target.connections();
    long held = 0;
    for (Connection c : all) {
      Tcb tcb = c.tcb();
      held += tcb.receiveBuffer.held() + tcb.sendBuffer.size();
      if (!le(tcb.sndUna, tcb.sndNxt) || distance(tcb.sndUna, tcb.sndNxt) > tcb.sendBuffer.size() + 2) {
        find("SND.UNA =< SND.NXT", c + ": SND.UNA " + Integer.toUnsignedString(tcb.sndUna) + " SND.NXT "
            + Integer.toUnsignedString(tcb.sndNxt) + ", " + tcb.sendBuffer.size() + " bytes buffered");
      }
      if (c.state().isSynchronized()) {
        Integer before = lastRcvNxt.get(tcb);
        if (before != null && lt(tcb.rcvNxt, before)) {
          find("RCV.NXT monotone", c + ": RCV.NXT " + Integer.toUnsignedString(tcb.rcvNxt) + " after "
              + Integer.toUnsignedString(before));
        }
        seen.put(tcb, tcb.rcvNxt);
      }
      if (tcb.receiveBuffer.allocated() >= tcb.receiveBuffer.capacity() + 2 * ChunkPool.CHUNK
          || tcb.sendBuffer.allocated() > tcb.sendBuffer.limit()) {
        find("memory bounded", c + ": a buffer beyond its limit");
      }
    }
    lastRcvNxt = seen;
    // Connections that are gone may still hold unread bytes for their sockets, never less.
    if (target.memory().allocatedBytes() < held) {
      find("memory accounted", target.memory().allocatedBytes() + " bytes accounted, live connections hold " + held);
    }
    if (listener.halfOpen() > listener.backlog()) {
      find("memory bounded", listener.halfOpen() + " half-open connections, backlog " + listener.backlog());
    }
    if (all.size() > MAX_CONNECTIONS) find("memory bounded", all.size() + " connections");
  }

  private void find(String kind, String detail) {
    if (findings.size() >= MAX_FINDINGS) return;
    StringBuilder hex = new StringBuilder();
    for (byte b : lastPacket) hex.append(String.format("%02x", b));
    String tcb = server == null ? "" : "; honest connection " + server + " SND.UNA "
        + Integer.toUnsignedString(server.tcb().sndUna) + " SND.NXT " + Integer.toUnsignedString(server.tcb().sndNxt)
        + " RCV.NXT " + Integer.toUnsignedString(server.tcb().rcvNxt);
    findings.add(new Finding(seed, segments, kind, detail + tcb, hex.toString()));
  }
}
