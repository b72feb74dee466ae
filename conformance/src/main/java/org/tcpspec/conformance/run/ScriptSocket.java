package org.tcpspec.conformance.run;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.script.IcmpPacket;
import org.tcpspec.conformance.script.IpFields;
import org.tcpspec.conformance.script.TcpPacket;
import org.tcpspec.conformance.script.TcpPacket.OptionsSpec;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SeqNum;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * The socket a script plays, after packetdrill's {@code struct socket}: the one place that maps
 * script values to live ones. The remote side's values are the script's own (its sequence numbers,
 * its timestamps); the system under test's live values are learned from what it sends: its port
 * from its first segment, its ISN from its SYN ({@code liveIsn - scriptIsn}), its timestamp clock
 * from its first TSval. Inbound acks, SACK blocks and TSecr are translated into the live space;
 * outbound seq is translated back into the script's space before comparing.
 */
final class ScriptSocket {
  /** Port the system under test listens on when the script binds to {@code ...}. */
  static final int DEFAULT_LOCAL_PORT = 8080;
  /** Remote port of connections the script opens to a listener. */
  static final int DEFAULT_REMOTE_PORT = 48_123;
  /** packetdrill's TTL of injected packets that give none (TTL_CHECK_NONE, ip_packet.c). */
  static final int INBOUND_TTL = 255;

  int liveLocalPort = DEFAULT_LOCAL_PORT;
  boolean localPortKnown;
  int liveRemotePort = DEFAULT_REMOTE_PORT;
  /** liveSeq - scriptSeq for the system under test's sequence space, once its SYN was seen. */
  Optional<Integer> liveMinusScriptLocalSeq = Optional.empty();
  /** liveTsVal - scriptTsVal of the system under test's timestamp clock, once seen. */
  Optional<Integer> liveMinusScriptLocalTs = Optional.empty();

  void passive(int port) {
    liveLocalPort = port;
    localPortKnown = true;
    liveRemotePort = DEFAULT_REMOTE_PORT;
  }

  void active(int remotePort) {
    liveRemotePort = remotePort;
    localPortKnown = false;
    liveMinusScriptLocalSeq = Optional.empty();
  }

  private int toLiveLocalSeq(long scriptSeq) {
    return (int) scriptSeq + liveMinusScriptLocalSeq.orElse(0);
  }

  Segment liveInbound(TcpPacket p) {
    int srcPort = p.ports().map(TcpPacket.Ports::src).orElse(liveRemotePort);
    int dstPort = p.ports().map(TcpPacket.Ports::dst).orElse(liveLocalPort);
    int ack = p.ack().isPresent() ? toLiveLocalSeq(p.ack().getAsLong()) : 0;
    List<TcpOption> options = new ArrayList<>();
    if (p.options() instanceof OptionsSpec.Listed l) {
      for (TcpOption o : l.options()) {
        options.add(switch (o) {
          case TcpOption.Sack s -> new TcpOption.Sack(s.blocks().stream()
              .map(b -> new TcpOption.SackBlock(toLiveLocalSeq(Integer.toUnsignedLong(b.left())),
                  toLiveLocalSeq(Integer.toUnsignedLong(b.right()))))
              .toList());
          case TcpOption.Timestamp t -> new TcpOption.Timestamp(t.tsVal(),
              t.tsEcr() == 0 && liveMinusScriptLocalTs.isEmpty() ? 0 : t.tsEcr() + liveMinusScriptLocalTs.orElse(0));
          default -> o;
        });
      }
    }
    return new Segment(SystemUnderTest.REMOTE_ADDR, SystemUnderTest.LOCAL_ADDR, srcPort, dstPort,
        (int) p.startSeq(), ack, p.flags(), p.window().orElseThrow(),
        p.urgentPointer(), options, new byte[p.payloadLength()]);
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
    int quotedSeq = p.quoted() instanceof IcmpPacket.Quoted.Tcp t ? toLiveLocalSeq(t.startSeq()) : 0;
    IpFields ip = p.ip();
    return IcmpMessage.build(p, ip.tos(), ip.ttl(), SystemUnderTest.REMOTE_ADDR,
        SystemUnderTest.LOCAL_ADDR, liveRemotePort, liveLocalPort, quotedSeq);
  }

  /**
   * Checks a live outbound segment and the IPv4 fields it came with against the script's,
   * learning live values on the way.
   */
  void checkOutbound(TcpPacket p, Segment live, Ipv4Params ip) throws ScriptFailure {
    checkIp(p, live, ip);
    if (!localPortKnown) {
      liveLocalPort = live.srcPort();
      localPortKnown = true;
    }
    check(p, live, "source port", p.ports().map(TcpPacket.Ports::src).orElse(liveLocalPort), live.srcPort());
    check(p, live, "destination port", p.ports().map(TcpPacket.Ports::dst).orElse(liveRemotePort), live.dstPort());
    if (live.flags() != p.flags()) {
      fail(p, live, "flags", TcpFlags.toPacketdrill(p.flags()), TcpFlags.toPacketdrill(live.flags()));
    }
    if (live.has(TcpFlags.SYN) && p.flags() == live.flags()) {
      liveMinusScriptLocalSeq = Optional.of(live.seq() - (int) p.startSeq());
    }
    long scriptSeq = SeqNum.unsigned(live.seq() - liveMinusScriptLocalSeq.orElse(0));
    if (scriptSeq != p.startSeq()) fail(p, live, "seq", p.startSeq(), scriptSeq);
    check(p, live, "payload length", p.payloadLength(), live.payloadLength());
    if (TcpFlags.has(p.flags(), TcpFlags.ACK) && p.ack().isPresent()) {
      long actualAck = SeqNum.unsigned(live.ack());
      if (actualAck != p.ack().getAsLong()) fail(p, live, "ack", p.ack().getAsLong(), actualAck);
    }
    if (p.window().isPresent()) check(p, live, "win", p.window().getAsInt(), live.window());
    if (TcpFlags.has(p.flags(), TcpFlags.URG)) {
      check(p, live, "urg", p.urgentPointer(), live.urgentPointer());
    }
    if (p.options() instanceof OptionsSpec.Listed l) checkOptions(p, live, l.options());
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

  /**
   * The options as packetdrill's iterator walks them: the parsed list, then one EOL for every
   * byte of padding up to the data offset, since packetdrill reads each zero byte as an option.
   */
  private static List<TcpOption> asPacketdrillReadsThem(Segment live) {
    List<TcpOption> out = new ArrayList<>(live.options());
    int padding = live.tcpHeaderLength() - Segment.TCP_MIN_HEADER_LENGTH
        - live.options().stream().mapToInt(TcpOption::wireLength).sum();
    for (int i = 0; i < padding; i++) out.add(new TcpOption.Eol());
    return out;
  }

  private void checkOptions(TcpPacket p, Segment live, List<TcpOption> expected) throws ScriptFailure {
    List<TcpOption> actual = asPacketdrillReadsThem(live);
    if (kinds(expected).equals(kinds(actual))) {
      for (int i = 0; i < expected.size(); i++) {
        TcpOption e = expected.get(i);
        TcpOption a = actual.get(i);
        switch (e) {
          case TcpOption.Timestamp et when a instanceof TcpOption.Timestamp at -> {
            if (liveMinusScriptLocalTs.isEmpty()) liveMinusScriptLocalTs = Optional.of(at.tsVal() - et.tsVal());
            if (et.tsEcr() != at.tsEcr()) {
              fail(p, live, "TS ecr", Integer.toUnsignedLong(et.tsEcr()), Integer.toUnsignedLong(at.tsEcr()));
            }
          }
          default -> {
            if (!e.equals(a)) fail(p, live, "option " + optionName(e), showOption(e), showOption(a));
          }
        }
      }
      return;
    }
    fail(p, live, "options", showOptions(expected), showOptions(actual));
  }

  private static List<Integer> kinds(List<TcpOption> options) {
    return options.stream().map(TcpOption::kind).toList();
  }

  private static String optionName(TcpOption o) {
    return switch (o) {
      case TcpOption.Eol e -> "eol";
      case TcpOption.Nop n -> "nop";
      case TcpOption.Mss m -> "mss";
      case TcpOption.WindowScale w -> "wscale";
      case TcpOption.SackPermitted s -> "sackOK";
      case TcpOption.Sack s -> "sack";
      case TcpOption.Timestamp t -> "TS";
      case TcpOption.Unknown u -> switch (u.kind()) {
        case KIND_MD5 -> "md5";
        case KIND_FASTOPEN -> "FO";
        case KIND_EXPERIMENTAL -> "FOEXP";
        default -> "kind " + u.kind();
      };
    };
  }

  /** Option kinds packetdrill names without a parsed form of their own (its tcp.h). */
  private static final int KIND_MD5 = 19;
  private static final int KIND_FASTOPEN = 34;
  private static final int KIND_EXPERIMENTAL = 254;

  static String showOption(TcpOption o) {
    return switch (o) {
      case TcpOption.Eol e -> "eol";
      case TcpOption.Nop n -> "nop";
      case TcpOption.Mss m -> "mss " + m.mss();
      case TcpOption.WindowScale w -> "wscale " + w.shift();
      case TcpOption.SackPermitted s -> "sackOK";
      case TcpOption.Sack s -> "sack" + s.blocks().stream()
          .map(b -> " " + Integer.toUnsignedLong(b.left()) + ":" + Integer.toUnsignedLong(b.right()))
          .reduce("", String::concat);
      case TcpOption.Timestamp t ->
          "TS val " + Integer.toUnsignedLong(t.tsVal()) + " ecr " + Integer.toUnsignedLong(t.tsEcr());
      case TcpOption.Unknown u -> switch (u.kind()) {
        case KIND_MD5 -> join("md5", HexFormat.of().formatHex(u.data()));
        case KIND_FASTOPEN -> join("FO", HexFormat.of().formatHex(u.data()));
        case KIND_EXPERIMENTAL -> u.data().length >= 2 && u.data()[0] == (byte) 0xF9 && u.data()[1] == (byte) 0x89
            ? join("FOEXP", HexFormat.of().formatHex(u.data(), 2, u.data().length))
            : "kind " + u.kind() + " len " + u.wireLength();
        default -> "kind " + u.kind() + " len " + u.wireLength();
      };
    };
  }

  /** "FO abcd", or "FO" alone for an empty cookie, as packetdrill prints it. */
  private static String join(String name, String hex) {
    return hex.isEmpty() ? name : name + " " + hex;
  }

  static String showOptions(List<TcpOption> options) {
    return "<" + String.join(",", options.stream().map(ScriptSocket::showOption).toList()) + ">";
  }

  /** The script packet in packetdrill's notation. */
  static String showScript(TcpPacket p) {
    StringBuilder b = new StringBuilder(p.direction() == TcpPacket.Direction.INBOUND ? "< " : "> ");
    showIp(p.ip()).ifPresent(ip -> b.append(ip).append(' '));
    b.append(p.flags() == 0 ? "-" : TcpFlags.toPacketdrill(p.flags())).append(' ');
    b.append(p.startSeq()).append(':').append(p.startSeq() + p.payloadLength());
    b.append('(').append(p.payloadLength()).append(')');
    p.ack().ifPresent(a -> b.append(" ack ").append(a));
    p.window().ifPresent(w -> b.append(" win ").append(w));
    switch (p.options()) {
      case OptionsSpec.Any a -> b.append(" <...>");
      case OptionsSpec.Listed l -> {
        if (!l.options().isEmpty()) b.append(' ').append(showOptions(l.options()));
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

  /** The live segment in script values where they are known, for failure messages. */
  private String showLive(Segment live) {
    StringBuilder b = new StringBuilder("> ");
    b.append(live.flags() == 0 ? "-" : TcpFlags.toPacketdrill(live.flags())).append(' ');
    long seq = SeqNum.unsigned(live.seq() - liveMinusScriptLocalSeq.orElse(0));
    b.append(seq).append(':').append(seq + live.payloadLength()).append('(').append(live.payloadLength()).append(')');
    if (live.has(TcpFlags.ACK)) b.append(" ack ").append(SeqNum.unsigned(live.ack()));
    b.append(" win ").append(live.window());
    if (!live.options().isEmpty()) b.append(' ').append(showOptions(asPacketdrillReadsThem(live)));
    return b.toString();
  }

  private void check(TcpPacket p, Segment live, String field, long expected, long actual) throws ScriptFailure {
    if (expected != actual) fail(p, live, field, expected, actual);
  }

  private void fail(TcpPacket p, Segment live, String field, Object expected, Object actual) throws ScriptFailure {
    throw ScriptFailure.fail(p.pos(), "outbound packet: " + field + ": expected " + expected
        + " vs actual " + actual + "\n  script: " + showScript(p) + "\n  actual: " + showLive(live));
  }

  /** Two contiguous segments as the one TSO-sized segment the script expects. */
  static Segment aggregate(Segment a, Segment b) {
    byte[] payload = new byte[a.payloadLength() + b.payloadLength()];
    System.arraycopy(a.payload(), 0, payload, 0, a.payloadLength());
    System.arraycopy(b.payload(), 0, payload, a.payloadLength(), b.payloadLength());
    return new Segment(a.srcAddr(), a.dstAddr(), a.srcPort(), a.dstPort(), a.seq(), b.ack(),
        a.flags() | b.flags(), b.window(), b.urgentPointer(), a.options(), payload);
  }
}
