package org.tcpspec.conformance.script;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.tcpspec.conformance.script.TcpPacket.Direction;
import org.tcpspec.conformance.script.TcpPacket.OptionsSpec;
import org.tcpspec.conformance.script.Token.Kind;
import org.tcpspec.wire.TcpFlags;

/**
 * The packet lines of packetdrill's grammar (parser.y): {@code packetSpec}, the IP fields
 * ({@code optIpInfo}, {@code ipInfo}, {@code flowLabel}), {@code icmpPacketSpec}, and {@code
 * tcpPacketSpec} with its {@code flags} and {@code seq}; the TCP options are {@link
 * TcpOptionParser}'s. UDP and encapsulated packets, outbound ICMP and packet fuzzing are thrown
 * as {@link NotSupported}.
 */
final class PacketParser {

  private final TokenCursor in;
  private final TcpOptionParser tcpOptions;
  /** Whether ICMP lines name ICMPv6 types and codes (the run's {@code --ip_version}). */
  private final boolean ipv6;

  PacketParser(TokenCursor in, boolean ipv6) {
    this.in = in;
    this.tcpOptions = new TcpOptionParser(in);
    this.ipv6 = ipv6;
  }

  // ---- packet_spec: tcp_packet_spec | udp_packet_spec | icmp_packet_spec

  ScriptAction packetSpec() throws ScriptException, NotSupported {
    Token dirTok = in.take();
    Direction dir = dirTok.isPunct('<') ? Direction.INBOUND : Direction.OUTBOUND;
    Token t = in.tok();
    if (t.isWord("ipv4") || t.isWord("ipv6") || t.isWord("gre") || t.isWord("GREv0")
        || t.isWord("mpls")) {
      throw new NotSupported(t.pos(), "encapsulated packets (" + t.text() + ")");
    }
    IpFields ip = optIpInfo();
    t = in.tok();
    if (t.isWord("encap")) throw new NotSupported(t.pos(), "PSP encapsulation");
    if (t.isWord("udp")) throw new NotSupported(t.pos(), "UDP packets");
    if (ip.check() == IpFields.TosCheck.ECT01 && dir == Direction.INBOUND) {
      throw new ScriptException(dirTok.pos(), "[ect01] can only be used with outbound packets");
    }
    if (t.isWord("icmp")) return icmpPacketSpec(dirTok, dir, ip);
    return tcpPacketSpec(dirTok, dir, ip);
  }

  /** opt_ip_info: nothing, or ip_info in parentheses or brackets. */
  private IpFields optIpInfo() throws ScriptException {
    if (!in.tok().isPunct('(') && !in.tok().isPunct('[')) return IpFields.NONE;
    char close = in.take().isPunct('(') ? ')' : ']';
    IpFields ip = ipInfo();
    in.expectPunct(close);
    return ip;
  }

  /** ip_info: tos_spec | flow_label | TTL INTEGER | tos_spec ',' flow_label. */
  private IpFields ipInfo() throws ScriptException {
    Token t = in.tok();
    if (t.isWord("flowlabel")) return new IpFields(IpFields.TosCheck.NONE, 0, flowLabel(), 0);
    if (t.isWord("ttl")) {
      in.take();
      Token v = in.tok();
      long ttl = in.integer("a TTL", Long.MAX_VALUE);
      if (ttl > 0xFF) throw new ScriptException(v.pos(), "ttl out of range for 8 bits");
      return new IpFields(IpFields.TosCheck.NONE, 0, 0, (int) ttl);
    }
    IpFields.TosCheck check;
    int tos;
    switch (t.text()) {
      case "noecn", "ect1", "ect0", "ce" -> {
        in.take();
        check = IpFields.TosCheck.ECN;
        tos = switch (t.text()) {
          case "noecn" -> IpFields.ECN_NOT_ECT;
          case "ect1" -> IpFields.ECN_ECT1;
          case "ect0" -> IpFields.ECN_ECT0;
          default -> IpFields.ECN_CE;
        };
      }
      case "ect01" -> {
        in.take();
        check = IpFields.TosCheck.ECT01;
        tos = 0;
      }
      case "tos" -> {
        in.take();
        tos = (int) hexField("a hex TOS byte such as 0x10 after 'tos'", 0xFF, "tos out of range for 8 bits");
        check = IpFields.TosCheck.TOS;
      }
      default -> throw in.expected("IP header fields (ect0, ect1, ce, noecn, ect01, tos 0x.., flowlabel 0x.. or ttl N)");
    }
    int flow = 0;
    if (in.tok().isPunct(',')) {
      in.take();
      if (!in.tok().isWord("flowlabel")) throw in.expected("'flowlabel' after ','");
      flow = flowLabel();
    }
    return new IpFields(check, tos, flow, 0);
  }

  /** flow_label: FLOWLABEL HEX_INTEGER. */
  private int flowLabel() throws ScriptException {
    in.take();
    return (int) hexField("a hex flow label such as 0x12345 after 'flowlabel'", 0xFFFFF,
        "flowlabel out of range for 20 bits");
  }

  /** The HEX_INTEGER of tos_spec's TOS and of flow_label, with parser.y's range check. */
  private long hexField(String what, long max, String outOfRange) throws ScriptException {
    Token v = in.tok();
    if (!v.is(Kind.HEX_INTEGER)) throw in.expected(what);
    in.take();
    long value = TokenCursor.intValue(v);
    if (value > max) throw new ScriptException(v.pos(), outOfRange);
    return value;
  }

  /**
   * icmp_packet_spec: ICMP icmp_type opt_icmp_code opt_icmp_mtu opt_icmp_echo_id
   * opt_icmp_echoed. Type and code names are resolved for the script's IP version (its {@code
   * --ip_version} header, IPv4 without one), with packetdrill's errors for names it does not know.
   */
  private ScriptAction icmpPacketSpec(Token dirTok, Direction dir, IpFields ip)
      throws ScriptException, NotSupported {
    Token icmp = in.take();
    if (dir == Direction.OUTBOUND) throw new NotSupported(icmp.pos(), "outbound ICMP packets");
    if (!in.tok().is(Kind.WORD)) throw in.expected("an ICMP type (such as unreachable)");
    Token typeTok = in.take();
    Optional<Token> codeTok = Optional.empty();
    if (in.tok().is(Kind.WORD) && !in.tok().isWord("mtu") && !in.tok().isWord("id")) codeTok = Optional.of(in.take());
    OptionalLong mtu = OptionalLong.empty();
    Token mtuTok = in.tok();
    if (in.tok().isWord("mtu")) {
      in.take();
      mtu = OptionalLong.of(in.integer("an MTU", Long.MAX_VALUE));
    }
    int echoId = 0;
    if (in.tok().isWord("id")) {
      in.take();
      Token v = in.tok();
      long id = in.integer("an echo id", Long.MAX_VALUE);
      if (id > 0xFFFF) throw new ScriptException(v.pos(), "invalid echo_id, must be between 0 and 65535");
      echoId = (int) id;
    }
    IcmpPacket.Quoted quoted = new IcmpPacket.Quoted.Tcp(0, 0);
    if (in.tok().isPunct('[')) {
      in.take();
      if (in.tok().isWord("udp") || in.tok().isWord("raw")) {
        boolean udp = in.take().isWord("udp");
        in.expectPunct('(');
        int length = (int) in.integer("a payload length", 0xFFFF);
        in.expectPunct(')');
        quoted = udp ? new IcmpPacket.Quoted.Udp(length) : new IcmpPacket.Quoted.Raw(length);
      } else {
        Seq seq = seq();
        quoted = new IcmpPacket.Quoted.Tcp(seq.start(), seq.length());
      }
      in.expectPunct(']');
    }
    String code = codeTok.map(Token::text).orElse(null);
    int type = IcmpNames.type(ipv6, typeTok.text());
    if (type < 0) throw new ScriptException(typeTok.pos(), "bad ICMP type " + typeTok.text());
    int codeValue = IcmpNames.code(ipv6, typeTok.text(), code);
    if (codeValue < 0) throw new ScriptException(codeTok.orElseThrow().pos(), "bad ICMP code " + code);
    if (mtu.isPresent()) {
      if (!ipv6 && (type != IcmpNames.V4_DEST_UNREACH || codeValue != IcmpNames.V4_FRAG_NEEDED)) {
        throw new ScriptException(mtuTok.pos(), "ICMPv4 MTU is only valid for unreachable-frag_needed");
      }
      if (ipv6 && (type != IcmpNames.V6_PKT_TOOBIG || codeValue != 0)) {
        throw new ScriptException(mtuTok.pos(), "ICMPv6 MTU is only valid for packet_too_big-0");
      }
      if (mtu.getAsLong() > (ipv6 ? 0xFFFF_FFFFL : 0xFFFF)) {
        throw new ScriptException(mtuTok.pos(), "ICMP" + (ipv6 ? "v6" : "v4") + " MTU out of "
            + (ipv6 ? 32 : 16) + "-bit range");
      }
    }
    OptionalInt mtuValue = mtu.isPresent() ? OptionalInt.of((int) mtu.getAsLong()) : OptionalInt.empty();
    return new IcmpPacket(dirTok.pos(), dir, ip, ipv6, typeTok.text(), type, codeValue, mtuValue,
        echoId, quoted);
  }

  /**
   * tcp_packet_spec: opt_port_info flags seq opt_ack opt_window opt_urg_ptr opt_tcp_options, with
   * the check packetdrill's new_tcp_packet makes that inbound windows are given (the options'
   * checks are {@link TcpOptionParser#optTcpOptions}'s).
   */
  private ScriptAction tcpPacketSpec(Token dirTok, Direction dir, IpFields ip)
      throws ScriptException, NotSupported {
    Optional<TcpPacket.Ports> ports = Optional.empty();
    if (in.tok().is(Kind.INTEGER) && in.peekTok(1).isPunct('>')) {
      int src = (int) in.integer("source port", 0xFFFF);
      in.take();
      int dst = (int) in.integer("destination port", 0xFFFF);
      ports = Optional.of(new TcpPacket.Ports(src, dst));
    }
    Flags flags = flags();
    Seq seq = seq();
    OptionalLong ack = OptionalLong.empty();
    if (in.tok().isWord("ack")) {
      in.take();
      ack = OptionalLong.of(in.integer("TCP ack sequence number", 0xFFFFFFFFL));
    }
    OptionalInt win = OptionalInt.empty();
    if (in.tok().isWord("win")) {
      in.take();
      win = OptionalInt.of((int) in.integer("TCP window value", 0xFFFF));
    }
    int urg = 0;
    if (in.tok().isWord("urg")) {
      in.take();
      urg = (int) in.integer("urg_ptr value", 0xFFFF);
    }
    OptionsSpec options = tcpOptions.optTcpOptions(dir);
    if (in.tok().isPunct('{')) throw new NotSupported(in.tok().pos(), "packet fuzzing");
    if (win.isEmpty() && dir == Direction.INBOUND) {
      throw new ScriptException(dirTok.pos(), "window must be specified for inbound packets");
    }
    return new TcpPacket(dirTok.pos(), dir, ip, ports, flags.bits(), flags.aceCount(), seq.start(),
        seq.length(), ack, win, urg, options);
  }

  /** A sequence range as a packet line writes it: its start and payload length. */
  private record Seq(long start, int length) {}

  /**
   * seq: INTEGER ':' INTEGER '(' INTEGER ')', start:end(length), with parser.y's check that end
   * is start plus length (a TCP packet line's, and the TCP packet an ICMP line quotes).
   */
  private Seq seq() throws ScriptException {
    Token seqTok = in.tok();
    long start = in.integer("a sequence range start:end(length)", 0xFFFFFFFFL);
    in.expectPunct(':');
    long end = in.integer("TCP end sequence number", 0xFFFFFFFFL);
    in.expectPunct('(');
    int len = (int) in.integer("TCP payload size", 0xFFFF);
    in.expectPunct(')');
    if (end != start + len) {
      throw new ScriptException(seqTok.pos(), "inconsistent TCP sequence numbers and payload size");
    }
    return new Seq(start, len);
  }

  /** The flags of a packet line, and whether they were written as an ACE count. */
  private record Flags(int bits, boolean aceCount) {}

  /**
   * flags: WORD ['.'] | [WORD] FLOAT | '.' | '-' (parser.y's flags and ack_and_ace). Letters F S R
   * P U, E W A for ECE CWR AE, '.' for ACK; a digit 0-7 is an AccECN ACE count (RFC 9768 §3.2.2),
   * so {@code S.1} or {@code .5} lex as a word and a FLOAT. As tcp_packet.c's new_tcp_packet: a
   * nonzero count sets ECE, CWR and AE from its bits 0, 1 and 2 and marks the line as written
   * with a count (FLAG_PARSE_ACE); a count of 0 is no count, the ECN bits are then all clear.
   */
  private Flags flags() throws ScriptException {
    Token t = in.tok();
    if (t.isPunct('.')) {
      in.take();
      return new Flags(TcpFlags.ACK, false);
    }
    if (t.isPunct('-')) {
      in.take();
      return new Flags(0, false);
    }
    String text;
    if (t.is(Kind.FLOAT)) {
      text = in.take().text();
    } else if (t.is(Kind.WORD) && in.peekTok(1).is(Kind.FLOAT)) {
      in.take();
      text = t.text() + in.take().text();
    } else if (t.is(Kind.WORD)) {
      in.take();
      text = t.text();
      if (in.tok().isPunct('.')) {
        in.take();
        text += ".";
      }
    } else {
      throw in.expected("TCP flags (such as S, S., F., P., R, ., S.1 or -)");
    }
    int flags = 0;
    int ace = -1;
    boolean ecnLetter = false;
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      Pos p = new Pos(t.pos().file(), t.pos().line(), t.pos().column() + k);
      boolean isAce = c >= '0' && c <= '7';
      boolean isEcn = c == 'E' || c == 'W' || c == 'A';
      if ((isAce && (ecnLetter || ace >= 0)) || (isEcn && ace >= 0)) {
        throw new ScriptException(p, "conflicting TCP flag '" + c + "': an ACE count goes with no other"
            + " ACE count and none of E W A");
      }
      if (isAce) {
        ace = c - '0';
        continue;
      }
      ecnLetter |= isEcn;
      flags |= switch (c) {
        case 'F' -> TcpFlags.FIN;
        case 'S' -> TcpFlags.SYN;
        case 'R' -> TcpFlags.RST;
        case 'P' -> TcpFlags.PSH;
        case 'U' -> TcpFlags.URG;
        case 'E' -> TcpFlags.ECE;
        case 'W' -> TcpFlags.CWR;
        case 'A' -> TcpFlags.AE;
        case '.' -> TcpFlags.ACK;
        default -> throw new ScriptException(p,
            "unknown TCP flag '" + c + "': expected one of F S R P U E W A . or an ACE count 0-7");
      };
    }
    if (ace <= 0) return new Flags(flags, false);
    return new Flags(flags | TcpPacket.aceBits(ace), true);
  }
}
