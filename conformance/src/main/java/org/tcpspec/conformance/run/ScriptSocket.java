package org.tcpspec.conformance.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tcpspec.conformance.script.IcmpPacket;
import org.tcpspec.conformance.script.IpFields;
import org.tcpspec.conformance.script.OptionNotation;
import org.tcpspec.conformance.script.TcpPacket.OptionsSpec;
import org.tcpspec.conformance.script.TcpPacket;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SeqNum;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * The socket under test, after packetdrill's {@code struct socket} (socket.h) and the mapping of
 * run_packet.c: the one place that maps script values to live ones. As in packetdrill, a SYN's
 * sequence numbers are absolute and every other segment's are relative to the ISN of its sender:
 * the remote ISN is the one the script's SYN (to a listener) or SYN-ACK (to a connecting socket)
 * gave, so {@code < S 999000:999000(0)} then {@code < . 1:1(0)} carries 999001; the local ISN is
 * learned from the system under test's SYN or SYN-ACK. A listener hands each inbound connection a
 * remote port of its own (packetdrill's next_ephemeral_port), and only the system under test's
 * segments of this connection are matched against the script: others are passed over. Outbound
 * TSval values are remembered by their script value, so that an inbound TSecr echoes the live value
 * the script's value stood for.
 */
final class ScriptSocket {
  /** Port the system under test listens on when the script binds to {@code ...}. */
  static final int DEFAULT_LOCAL_PORT = 8080;
  /** Remote port of the first connection the script opens to a listener; later ones count up. */
  static final int FIRST_REMOTE_PORT = 48_123;
  /** Window of inbound segments that leave it out. */
  static final int DEFAULT_INBOUND_WINDOW = 65_535;
  /** packetdrill's TTL of injected packets that give none (TTL_CHECK_NONE, ip_packet.c). */
  static final int INBOUND_TTL = 255;

  /** packetdrill's socket states (socket.h), as far as the mapping needs them. */
  enum State {
    NEW,
    PASSIVE_LISTENING,
    PASSIVE_PACKET_RECEIVED,
    PASSIVE_SYNACK_SENT,
    PASSIVE_SYNACK_ACKED,
    ACTIVE_CONNECTING,
    ACTIVE_SYN_SENT,
    ACTIVE_SYN_ACKED
  }

  private final RunConfig config;
  State state = State.NEW;
  /**
   * Whether the socket under test has live addresses. packetdrill's socket() makes the new socket
   * the one under test with a live 4-tuple of zeros (run_syscall_socket, socket_new) until connect()
   * names the remote end or a packet to a listener makes a child (handle_listen_for_script_packet);
   * until then no live packet is the socket under test's (find_socket_for_live_packet), so an earlier
   * connection's packets are passed over, and an inbound packet goes from and to the unspecified
   * address, which no system under test takes.
   */
  private boolean addressed = true;
  /** The live fd of the socket under test; -1 for a connection not accepted yet. */
  int liveFd = -1;
  int liveLocalPort = DEFAULT_LOCAL_PORT;
  /** False from connect() until the SYN shows the ephemeral port the kernel picked. */
  private boolean localPortKnown = true;
  int liveRemotePort = FIRST_REMOTE_PORT;
  private int passiveConnections;
  private int scriptLocalIsn;
  private int liveLocalIsn;
  private int liveRemoteIsn;
  /** Live TSval by the script TSval it was matched against (packetdrill's ts_val_map). */
  private final Map<Integer, Integer> liveTsValByScriptTsVal = new HashMap<>();
  private boolean foundFirstTs;
  private int firstScriptTsVal;
  private int firstLiveTsVal;

  ScriptSocket(RunConfig config) {
    this.config = config;
  }

  // ---- system calls that make or change the socket under test

  /** socket(): a new socket under test, nothing learned yet. */
  void socket(int fd) {
    state = State.NEW;
    addressed = false;
    liveFd = fd;
    forgetConnection();
  }

  /** bind(): the port a listener's connections arrive at. */
  void bind(int port) {
    liveLocalPort = port;
    localPortKnown = true;
  }

  /** listen() on the socket under test. */
  void listen(int fd) {
    if (fd == liveFd) state = State.PASSIVE_LISTENING;
  }

  /** connect(): the socket under test will send a SYN to {@code remotePort}. */
  void connect(int remotePort) {
    state = State.ACTIVE_CONNECTING;
    addressed = true;
    liveRemotePort = remotePort;
    localPortKnown = false;
    forgetConnection();
  }

  /** accept() returned the connection the script's packets made. */
  void accept(int fd) {
    liveFd = fd;
  }

  private void forgetConnection() {
    scriptLocalIsn = 0;
    liveLocalIsn = 0;
    liveRemoteIsn = 0;
    liveTsValByScriptTsVal.clear();
    foundFirstTs = false;
  }

  // ---- inbound

  /** The live segment for an inbound script packet (run_packet.c, map_inbound_packet). */
  Segment liveInbound(TcpPacket p) throws ScriptFailure {
    boolean syn = TcpFlags.has(p.flags(), TcpFlags.SYN);
    boolean ack = TcpFlags.has(p.flags(), TcpFlags.ACK);
    if (state == State.PASSIVE_LISTENING) {
      // handle_listen_for_script_packet: the packet opens a connection of its own.
      state = State.PASSIVE_PACKET_RECEIVED;
      addressed = true;
      liveRemotePort = FIRST_REMOTE_PORT + passiveConnections++;
      liveFd = -1;
      forgetConnection();
      liveRemoteIsn = (int) p.startSeq();
    } else if (state == State.PASSIVE_SYNACK_SENT && ack) {
      state = State.PASSIVE_SYNACK_ACKED;
    } else if (state == State.ACTIVE_SYN_SENT && syn && ack) {
      state = State.ACTIVE_SYN_ACKED;
      liveRemoteIsn = (int) p.startSeq();
    }
    int seq = (int) p.startSeq() + (syn ? 0 : liveRemoteIsn);
    int ackOffset = syn ? liveLocalIsn - scriptLocalIsn : liveLocalIsn;
    int liveAck = ack && p.ack().isPresent() ? (int) p.ack().getAsLong() + ackOffset : 0;
    List<TcpOption> options = new ArrayList<>();
    if (p.options() instanceof OptionsSpec.Listed l) {
      for (TcpOption o : l.options()) {
        options.add(switch (o) {
          case TcpOption.Sack s -> new TcpOption.Sack(s.blocks().stream()
              .map(b -> new TcpOption.SackBlock(b.left() + ackOffset, b.right() + ackOffset))
              .toList());
          case TcpOption.Timestamp t when ack -> new TcpOption.Timestamp(t.tsVal(), liveTsEcr(p, t.tsEcr()));
          default -> o;
        });
      }
    }
    if (!addressed) {
      // map_inbound_packet writes the socket under test's live 4-tuple, all zeros after socket():
      // the kernel drops a packet from and to the unspecified address, so it reaches no connection.
      IpAddress none = config.ipv6() ? IpAddress.IPV6_UNSPECIFIED : IpAddress.ipv4(0);
      return new Segment(none, none, p.ports().map(TcpPacket.Ports::src).orElse(0),
          p.ports().map(TcpPacket.Ports::dst).orElse(0), seq, liveAck, p.flags(),
          p.window().orElse(DEFAULT_INBOUND_WINDOW), p.urgentPointer(), options, new byte[p.payloadLength()]);
    }
    int srcPort = p.ports().map(TcpPacket.Ports::src).orElse(liveRemotePort);
    int dstPort = p.ports().map(TcpPacket.Ports::dst).orElse(liveLocalPort);
    return new Segment(config.remoteIp(), config.localIp(), srcPort, dstPort, seq, liveAck,
        p.flags(), p.window().orElse(DEFAULT_INBOUND_WINDOW), p.urgentPointer(), options,
        new byte[p.payloadLength()]);
  }

  /**
   * The live TSecr for a script TSecr: the live TSval of the outbound packet the script gave that
   * value, else (with {@code --tcp_ts_ecr_scaled}) scaled from the first one; else an error.
   */
  private int liveTsEcr(TcpPacket p, int scriptEcr) throws ScriptFailure {
    Integer live = liveTsValByScriptTsVal.get(scriptEcr);
    if (live != null) return live;
    if (config.tsEcrScaled() && foundFirstTs) return scriptEcr - firstScriptTsVal + firstLiveTsVal;
    throw ScriptFailure.error(p.pos(), "inbound packet: unable to infer live TS ecr for script TS ecr "
        + Integer.toUnsignedLong(scriptEcr) + "; no matching or preceding outbound TS val");
  }

  /**
   * The IPv4 fields of an injected packet as packetdrill's ip_packet.c sets them: the line's TOS
   * byte (its ECN codepoint for {@code [ect0]} and the like), TTL 255 unless the line gives one,
   * identification 0, DF clear.
   */
  static Ipv4Params liveIp(IpFields f) {
    return new Ipv4Params(f.tos(), 0, false, f.ttl() == 0 ? INBOUND_TTL : f.ttl());
  }

  /** An inbound ICMP message quoting a packet of this socket, as packetdrill builds it. */
  byte[] liveInboundIcmp(IcmpPacket p) {
    int quotedSeq = p.quoted() instanceof IcmpPacket.Quoted.Tcp t ? (int) t.startSeq() + liveLocalIsn : 0;
    IpFields ip = p.ip();
    if (config.ipv6()) {
      return IcmpMessage.build6(p, ip.tos(), ip.flowLabel(), ip.ttl(), config.remoteIp(), config.localIp(),
          liveRemotePort, liveLocalPort, quotedSeq);
    }
    return IcmpMessage.build(p, ip.tos(), ip.ttl(), config.remoteAddr(), config.localAddr(),
        liveRemotePort, liveLocalPort, quotedSeq);
  }

  // ---- outbound

  /**
   * Whether a live segment belongs to the socket under test (find_socket_for_live_packet,
   * find_connect_for_live_packet); learns the local port and ISN of a connecting socket's SYN.
   * A script packet with explicit ports takes the segment between those ports.
   */
  boolean isOurs(Segment live, TcpPacket expected) {
    if (!addressed) return false;
    if (!live.srcIp().equals(config.localIp()) || !live.dstIp().equals(config.remoteIp())) return false;
    if (expected.ports().isPresent()) {
      return live.srcPort() == expected.ports().get().src() && live.dstPort() == expected.ports().get().dst();
    }
    if (localPortKnown && live.srcPort() == liveLocalPort && live.dstPort() == liveRemotePort) return true;
    boolean pureSyn = live.has(TcpFlags.SYN) && !live.has(TcpFlags.ACK);
    if (state == State.ACTIVE_SYN_SENT && pureSyn && live.dstPort() == liveRemotePort) {
      liveLocalPort = live.srcPort();
      localPortKnown = true;
      liveLocalIsn = live.seq();
      return true;
    }
    return false;
  }

  /** What the script's outbound packet teaches before its live packet is sniffed. */
  void expectOutbound(TcpPacket p) {
    boolean syn = TcpFlags.has(p.flags(), TcpFlags.SYN);
    boolean ack = TcpFlags.has(p.flags(), TcpFlags.ACK);
    if (state == State.PASSIVE_PACKET_RECEIVED && syn && ack) scriptLocalIsn = (int) p.startSeq();
    if (state == State.ACTIVE_CONNECTING && syn && !ack) {
      state = State.ACTIVE_SYN_SENT;
      scriptLocalIsn = (int) p.startSeq();
    }
  }

  /** What the first live packet sniffed for a script packet teaches (do_outbound_script_packet). */
  void sniffedOutbound(TcpPacket p, Segment first) {
    boolean synAck = TcpFlags.has(p.flags(), TcpFlags.SYN) && TcpFlags.has(p.flags(), TcpFlags.ACK);
    if (state == State.PASSIVE_PACKET_RECEIVED && synAck) {
      state = State.PASSIVE_SYNACK_SENT;
      liveLocalIsn = first.seq();
    }
  }

  /** The live seq in script space (tcp_convert_seq_number). */
  long scriptSeq(Segment live) {
    int offset = live.has(TcpFlags.SYN) ? liveLocalIsn - scriptLocalIsn : liveLocalIsn;
    return SeqNum.unsigned(live.seq() - offset);
  }

  private int remoteOffset(Segment live) {
    return live.has(TcpFlags.SYN) ? 0 : liveRemoteIsn;
  }

  /**
   * Checks a live outbound segment (or the aggregate of several) against the script's, in the
   * order of packetdrill's verify_outbound_live_packet: header fields, then options, then payload.
   *
   * @param tsToleranceMicros how far a TSval may be off at {@code --tcp_ts_tick_usecs}
   */
  void checkOutbound(TcpPacket p, Segment live, Ipv4Params ip, long tsToleranceMicros) throws ScriptFailure {
    checkIp(p, live, ip);
    check(p, live, "source port", p.ports().map(TcpPacket.Ports::src).orElse(liveLocalPort), live.srcPort());
    check(p, live, "destination port", p.ports().map(TcpPacket.Ports::dst).orElse(liveRemotePort), live.dstPort());
    int ecn = TcpFlags.ECE | TcpFlags.CWR | TcpFlags.AE;
    if (p.aceCount() && (live.flags() & ~ecn) == (p.flags() & ~ecn) && live.flags() != p.flags()) {
      fail(p, live, "ACE", TcpPacket.ace(p.flags()), TcpPacket.ace(live.flags()));
    }
    if (live.flags() != p.flags()) {
      fail(p, live, "flags", p.showFlags(), TcpFlags.toPacketdrill(live.flags()));
    }
    long scriptSeq = scriptSeq(live);
    if (scriptSeq != p.startSeq()) fail(p, live, "seq", p.startSeq(), scriptSeq);
    check(p, live, "payload length", p.payloadLength(), live.payloadLength());
    long actualAck = live.has(TcpFlags.ACK) ? SeqNum.unsigned(live.ack() - remoteOffset(live)) : SeqNum.unsigned(live.ack());
    long expectedAck = p.ack().orElse(0);
    if (actualAck != expectedAck) fail(p, live, "ack", expectedAck, actualAck);
    if (p.window().isPresent()) check(p, live, "win", p.window().getAsInt(), live.window());
    check(p, live, "urg", p.urgentPointer(), live.urgentPointer());
    if (p.options() instanceof OptionsSpec.Listed l) checkOptions(p, live, l.options(), tsToleranceMicros);
    for (byte b : live.payload()) {
      if (b != 0) fail(p, live, "payload", "the bytes written (zeros)", "other bytes");
    }
  }

  /**
   * The IPv4 checks of packetdrill's verify_outbound_live_tos and verify_outbound_live_ttl_or_hl:
   * the ECN bits, either ECT codepoint, or the whole TOS byte, as the line asks; the TTL when the
   * line gives one.
   */
  private void checkIp(TcpPacket p, Segment live, Ipv4Params ip) throws ScriptFailure {
    IpFields f = p.ip();
    int ecn = ip.tos() & ECN_MASK;
    switch (f.check()) {
      case NONE -> { }
      case ECN -> check(p, live, "ip_ecn", f.tos(), ecn);
      case ECT01 -> {
        if (ecn != IpFields.ECN_ECT0 && ecn != IpFields.ECN_ECT1) fail(p, live, "ip_ecn", "0x1 or 0x2", "0x" + ecn);
      }
      case TOS -> check(p, live, "tos", f.tos(), ip.tos());
    }
    if (f.ttl() != 0) check(p, live, "ttl", f.ttl(), ip.ttl());
  }

  /** The two ECN bits of the TOS byte (RFC 3168 §5). */
  private static final int ECN_MASK = 3;

  private void checkOptions(TcpPacket p, Segment live, List<TcpOption> expected, long tsToleranceMicros)
      throws ScriptFailure {
    List<TcpOption> actual = live.options();
    if (!sameKinds(expected, actual)) {
      fail(p, live, "options", OptionNotation.show(expected), OptionNotation.show(scriptSpace(live, actual)));
    }
    for (int i = 0; i < expected.size(); i++) {
      TcpOption e = expected.get(i);
      TcpOption a = actual.get(i);
      switch (e) {
        // packetdrill checks TSval only with --tcp_ts_tick_usecs and never TSecr
        // (verify_outbound_tcp_option); it remembers the value for inbound TSecr.
        case TcpOption.Timestamp et when a instanceof TcpOption.Timestamp at -> {
          liveTsValByScriptTsVal.put(et.tsVal(), at.tsVal());
          if (!foundFirstTs) {
            foundFirstTs = true;
            firstScriptTsVal = et.tsVal();
            firstLiveTsVal = at.tsVal();
          }
          int scriptTsVal = firstScriptTsVal + (at.tsVal() - firstLiveTsVal);
          long offMicros = Math.abs((long) (scriptTsVal - et.tsVal())) * config.tsTickMicros();
          if (config.tsTickMicros() != 0 && offMicros > tsToleranceMicros) {
            fail(p, live, "TS val (tolerance " + tsToleranceMicros + " us)",
                Integer.toUnsignedLong(et.tsVal()), Integer.toUnsignedLong(scriptTsVal));
          }
        }
        default -> {
          TcpOption inScript = a instanceof TcpOption.Sack ? scriptSpace(live, List.of(a)).getFirst() : a;
          if (!e.equals(inScript)) fail(p, live, "option " + OptionNotation.name(e), OptionNotation.show(e), OptionNotation.show(inScript));
        }
      }
    }
  }

  /** Live options with SACK blocks in script space. */
  private List<TcpOption> scriptSpace(Segment live, List<TcpOption> options) {
    int offset = remoteOffset(live);
    return options.stream().map(o -> o instanceof TcpOption.Sack s
        ? (TcpOption) new TcpOption.Sack(s.blocks().stream()
            .map(b -> new TcpOption.SackBlock(b.left() - offset, b.right() - offset)).toList())
        : o).toList();
  }

  /**
   * Whether the lists have the same option kinds in the same order. A loop, as the rest of the
   * check: it runs on the interpreter's thread between the kernel's packet and the next event, and
   * a stream pipeline per option cost 0.15 ms there while the code was still interpreted.
   */
  private static boolean sameKinds(List<TcpOption> expected, List<TcpOption> actual) {
    if (expected.size() != actual.size()) return false;
    for (int i = 0; i < expected.size(); i++) {
      if (expected.get(i).kind() != actual.get(i).kind()) return false;
    }
    return true;
  }

  /** The script packet in packetdrill's notation. */
  static String showScript(TcpPacket p) {
    StringBuilder b = new StringBuilder(p.direction() == TcpPacket.Direction.INBOUND ? "< " : "> ");
    showIp(p.ip()).ifPresent(ip -> b.append(ip).append(' '));
    b.append(p.showFlags()).append(' ');
    b.append(p.startSeq()).append(':').append(p.startSeq() + p.payloadLength());
    b.append('(').append(p.payloadLength()).append(')');
    p.ack().ifPresent(a -> b.append(" ack ").append(a));
    p.window().ifPresent(w -> b.append(" win ").append(w));
    switch (p.options()) {
      case OptionsSpec.Any a -> b.append(" <...>");
      case OptionsSpec.Listed l -> {
        if (!l.options().isEmpty()) b.append(' ').append(OptionNotation.show(l.options()));
      }
    }
    return b.toString();
  }

  /** The line's IP fields in packetdrill's notation ("[ect0]", "(tos 0x10)", "[ttl 64]"), if any. */
  private static Optional<String> showIp(IpFields f) {
    String tos = switch (f.check()) {
      case NONE -> "";
      case ECN -> switch (f.tos()) {
        case IpFields.ECN_ECT1 -> "ect1";
        case IpFields.ECN_ECT0 -> "ect0";
        case IpFields.ECN_CE -> "ce";
        default -> "noecn";
      };
      case ECT01 -> "ect01";
      case TOS -> "tos 0x" + Integer.toHexString(f.tos());
    };
    String flow = f.flowLabel() == 0 ? "" : "flowlabel 0x" + Integer.toHexString(f.flowLabel());
    String fields = f.ttl() != 0 ? "ttl " + f.ttl() : tos.isEmpty() ? flow : flow.isEmpty() ? tos : tos + ", " + flow;
    return fields.isEmpty() ? Optional.empty() : Optional.of("[" + fields + "]");
  }

  /** The live segment in script values, for failure messages. */
  String showLive(Segment live) {
    StringBuilder b = new StringBuilder("> ");
    b.append(live.flags() == 0 ? "-" : TcpFlags.toPacketdrill(live.flags())).append(' ');
    long seq = scriptSeq(live);
    b.append(seq).append(':').append(seq + live.payloadLength()).append('(').append(live.payloadLength()).append(')');
    if (live.has(TcpFlags.ACK)) b.append(" ack ").append(SeqNum.unsigned(live.ack() - remoteOffset(live)));
    b.append(" win ").append(live.window());
    if (!live.options().isEmpty()) b.append(' ').append(OptionNotation.show(scriptSpace(live, live.options())));
    return b.toString();
  }

  private void check(TcpPacket p, Segment live, String field, long expected, long actual) throws ScriptFailure {
    if (expected != actual) fail(p, live, field, expected, actual);
  }

  private void fail(TcpPacket p, Segment live, String field, Object expected, Object actual) throws ScriptFailure {
    throw ScriptFailure.fail(p.pos(), "outbound packet: " + field + ": expected " + expected
        + " vs actual " + actual + "\n  script: " + showScript(p) + "\n  actual: " + showLive(live));
  }
}
