package org.tcpspec.conformance.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tcpspec.conformance.script.TcpPacket.Direction;
import org.tcpspec.conformance.script.TcpPacket.OptionsSpec;
import org.tcpspec.conformance.script.Token.Kind;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * The TCP options of a packet line in packetdrill's grammar (parser.y): {@code optTcpOptions}
 * ({@code <...>} or a list), each {@code tcpOption}, AccECN's {@code accEcnOption}, and the
 * {@code hexBlob} that MD5 digests and Fast Open cookies are written as.
 */
final class TcpOptionParser {

  /** TCP option kinds packetdrill writes without a field syntax of their own (its tcp.h). */
  private static final int TCPOPT_MD5SIG = 19;
  private static final int TCPOPT_FASTOPEN = 34;
  private static final int TCPOPT_EXP = 254;
  /** The AccECN options, fields in the order ECT(0), CE, ECT(1) or ECT(1), CE, ECT(0) (RFC 9768 §3.2.3). */
  private static final int TCPOPT_ACCECN0 = 172;
  private static final int TCPOPT_ACCECN1 = 174;
  private static final long ACCECN_FIELD_MAX = 0xFFFFFF;
  /** The experimental Fast Open option's magic number (RFC 7413 §4.1.1, kind 254). */
  private static final int TCPOPT_FASTOPEN_MAGIC = 0xF989;
  private static final int MD5_DIGEST_BYTES = 16;

  /**
   * packetdrill's lexer keywords: a word such as {@code ce} or {@code ecr} is never a hex blob,
   * since packetdrill's lexer makes it a keyword before its grammar sees it (lexer.l).
   */
  private static final Set<String> KEYWORDS = Set.of("sa_family", "sin_port", "sin_addr",
      "msg_name", "msg_iov", "msg_flags", "msg_control", "cmsg_data", "cmsg_level", "cmsg_type",
      "ee_errno", "ee_origin", "ee_type", "ee_code", "ee_info", "ee_data", "scm_sec", "scm_nsec",
      "fd", "u32", "u64", "ptr", "events", "revents", "onoff", "linger", "htons", "ipv4", "ipv6",
      "icmp", "udp", "GREv0", "gre", "raw", "sum", "off", "key", "seq", "none", "checksum",
      "present", "encap", "psp", "spi", "mpls", "label", "tc", "ttl", "inet_addr", "inet6_addr",
      "ack", "eol", "ecr", "mss", "mtu", "nop", "sack", "sackOK", "md5", "TS", "FO", "FOEXP", "ECN",
      "e0b", "e1b", "ceb", "tos", "flowlabel", "flags", "Flags", "val", "win", "urg", "wscale",
      "ect01", "ect0", "ect1", "noecn", "ce", "id");

  private final TokenCursor in;

  TcpOptionParser(TokenCursor in) {
    this.in = in;
  }

  /**
   * opt_tcp_options: nothing, {@code <...>} (outbound only: any options) or '<' tcp_option_list
   * '>', with packetdrill's checks: at most 40 bytes (tcp_option_list), padded to 4 bytes
   * (new_tcp_packet).
   */
  OptionsSpec optTcpOptions(Direction dir) throws ScriptException {
    if (!in.tok().isPunct('<')) return new OptionsSpec.Listed(List.of());
    Token open = in.take();
    if (in.tok().is(Kind.ELLIPSIS)) {
      in.take();
      in.expectPunct('>');
      if (dir == Direction.INBOUND) {
        throw new ScriptException(open.pos(),
            "<...> for TCP options can only be used with outbound packets");
      }
      return new OptionsSpec.Any();
    }
    List<TcpOption> list = new ArrayList<>();
    list.add(tcpOption());
    while (in.tok().isPunct(',')) {
      in.take();
      list.add(tcpOption());
    }
    in.expectPunct('>');
    int bytes = list.stream().mapToInt(TcpOption::wireLength).sum();
    if (bytes > Segment.TCP_MAX_OPTIONS_LENGTH) {
      throw new ScriptException(open.pos(), "TCP option list too long");
    }
    if (bytes % 4 != 0) {
      throw new ScriptException(open.pos(), "TCP options are not padded correctly to ensure TCP"
          + " header is a multiple of 4 bytes: " + bytes % 4 + " excess bytes");
    }
    return new OptionsSpec.Listed(list);
  }

  private TcpOption tcpOption() throws ScriptException {
    Token t = in.tok();
    if (!t.is(Kind.WORD)) throw in.expected("a TCP option (nop, eol, mss, wscale, sackOK, sack, TS, md5, FO, FOEXP, ECN)");
    switch (t.text()) {
      case "nop" -> {
        in.take();
        return new TcpOption.Nop();
      }
      case "eol" -> {
        in.take();
        return new TcpOption.Eol();
      }
      case "mss" -> {
        in.take();
        return new TcpOption.Mss((int) in.integer("mss value", 0xFFFF));
      }
      case "wscale" -> {
        in.take();
        return new TcpOption.WindowScale((int) in.integer("window scale shift count", 0xFF));
      }
      case "sackOK" -> {
        in.take();
        return new TcpOption.SackPermitted();
      }
      case "sack" -> {
        in.take();
        List<TcpOption.SackBlock> blocks = new ArrayList<>();
        do {
          int left = (int) in.integer("TCP SACK left sequence number", 0xFFFFFFFFL);
          in.expectPunct(':');
          int right = (int) in.integer("TCP SACK right sequence number", 0xFFFFFFFFL);
          blocks.add(new TcpOption.SackBlock(left, right));
        } while (in.tok().is(Kind.INTEGER));
        if (blocks.size() > 4) throw new ScriptException(t.pos(), "TCP option list too long");
        return new TcpOption.Sack(blocks);
      }
      case "TS" -> {
        in.take();
        in.expectWord("val");
        int val = (int) in.integer("ts val", 0xFFFFFFFFL);
        in.expectWord("ecr");
        int ecr = (int) in.integer("ecr val", 0xFFFFFFFFL);
        return new TcpOption.Timestamp(val, ecr);
      }
      case "md5" -> {
        in.take();
        Token blob = hexBlob().orElseThrow(() -> in.expected("an MD5 digest in hex after 'md5'"));
        byte[] digest = hex(blob.text()).orElseThrow(
            () -> new ScriptException(blob.pos(), "TCP MD5 digest is not a valid hex string"));
        if (blob.text().length() / 2 > MD5_DIGEST_BYTES) {
          throw new ScriptException(blob.pos(), "TCP MD5 digest longer than 16 bytes");
        }
        return new TcpOption.Unknown(TCPOPT_MD5SIG, digest);
      }
      case "FO", "FOEXP" -> {
        in.take();
        boolean exp = t.text().equals("FOEXP");
        Optional<Token> blob = hexBlob();
        String cookie = blob.map(Token::text).orElse("");
        Pos at = blob.map(Token::pos).orElse(t.pos());
        if (cookie.length() % 2 != 0) {
          throw new ScriptException(at, "TCP fast open cookie has an odd number of digits");
        }
        int max = Segment.TCP_MAX_OPTIONS_LENGTH - (exp ? 4 : 2);
        if (cookie.length() / 2 > max) {
          throw new ScriptException(at, "TCP fast open cookie of " + cookie.length() / 2
              + " bytes exceeds maximum cookie length of " + max + " bytes");
        }
        byte[] bytes = hex(cookie).orElseThrow(() -> new ScriptException(at,
            "TCP fast open cookie '" + cookie + "' is not a valid hex string"));
        if (!exp) return new TcpOption.Unknown(TCPOPT_FASTOPEN, bytes);
        byte[] data = new byte[2 + bytes.length];
        data[0] = (byte) (TCPOPT_FASTOPEN_MAGIC >> 8);
        data[1] = (byte) TCPOPT_FASTOPEN_MAGIC;
        System.arraycopy(bytes, 0, data, 2, bytes.length);
        return new TcpOption.Unknown(TCPOPT_EXP, data);
      }
      case "ECN" -> {
        in.take();
        return accEcnOption();
      }
      default -> throw in.expected("a TCP option (nop, eol, mss, wscale, sackOK, sack, TS, md5, FO, FOEXP, ECN)");
    }
  }

  /**
   * accecn_option, after {@code ECN}: {@code e0b N [ceb N [e1b N]]} is AccECN0 (kind 172),
   * {@code e1b N [ceb N [e0b N]]} AccECN1 (kind 174), each field a 24-bit counter (RFC 9768
   * §3.2.3), written big-endian in that order as parser.y's new_tcp_accecn_option writes them.
   */
  private TcpOption accEcnOption() throws ScriptException {
    Token first = in.tok();
    boolean order0 = first.isWord("e0b");
    if (!order0 && !first.isWord("e1b")) throw in.expected("e0b or e1b after ECN");
    in.take();
    List<Long> fields = new ArrayList<>();
    fields.add(accEcnField());
    if (in.tok().isWord("ceb")) {
      in.take();
      fields.add(accEcnField());
      if (in.tok().isWord(order0 ? "e1b" : "e0b")) {
        in.take();
        fields.add(accEcnField());
      }
    }
    byte[] data = new byte[3 * fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      long v = fields.get(i);
      data[3 * i] = (byte) (v >> 16);
      data[3 * i + 1] = (byte) (v >> 8);
      data[3 * i + 2] = (byte) v;
    }
    return new TcpOption.Unknown(order0 ? TCPOPT_ACCECN0 : TCPOPT_ACCECN1, data);
  }

  /** accecn_val: a decimal INTEGER (not hex) that fits 24 bits. */
  private long accEcnField() throws ScriptException {
    if (!in.tok().is(Kind.INTEGER)) throw in.expected("a TCP AccECN field value (decimal)");
    return in.integer("TCP AccECN field value", ACCECN_FIELD_MAX);
  }

  /** hex_blob: a WORD or an INTEGER, read as hex digits; empty when neither follows. */
  private Optional<Token> hexBlob() {
    Token t = in.tok();
    if (t.is(Kind.INTEGER) || (t.is(Kind.WORD) && !KEYWORDS.contains(t.text()))) return Optional.of(in.take());
    return Optional.empty();
  }

  /** The bytes of a hex string, two digits a byte (an odd last digit is an error); empty if bad. */
  private static Optional<byte[]> hex(String digits) {
    if (digits.length() % 2 != 0) return Optional.empty();
    byte[] out = new byte[digits.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(digits.charAt(2 * i), 16);
      int lo = Character.digit(digits.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) return Optional.empty();
      out[i] = (byte) (hi << 4 | lo);
    }
    return Optional.of(out);
  }
}
