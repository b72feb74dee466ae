package org.tcpspec.conformance.script;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.tcpspec.conformance.script.Token.Kind;
import org.tcpspec.conformance.script.TcpPacket.Direction;
import org.tcpspec.conformance.script.TcpPacket.OptionsSpec;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * Recursive-descent parser for packetdrill's language. One method per rule of packetdrill's
 * grammar (parser.y), named after it: {@code script}, {@code event}, {@code eventTime}, {@code
 * tcpPacketSpec}, {@code syscallSpec}, {@code expression}, ... Syntax errors throw {@link
 * ScriptException} naming file:line:column and what was expected; constructs outside the
 * supported subset are recorded as {@link Unsupported} and parsing resumes at the next event.
 */
public final class Parser {

  private final List<Token> tokens;
  private int at;
  private final List<Unsupported> unsupported = new ArrayList<>();
  /** Command-line definitions ({@code -D NAME=VALUE}); they win over the script's own. */
  private final Map<String, String> commandLineDefines;
  /**
   * The {@code --ip_version} of the run: which ICMP type and code names apply. The command line's
   * wins over the script's, as in packetdrill, whose grammar reads the finished configuration.
   */
  private String ipVersion;
  private final boolean ipVersionFromCommandLine;

  private Parser(List<Token> tokens, Map<String, String> commandLineDefines, Optional<String> commandLineIpVersion) {
    this.tokens = new ArrayList<>(tokens);
    this.commandLineDefines = commandLineDefines;
    this.ipVersion = commandLineIpVersion.orElse("ipv4");
    this.ipVersionFromCommandLine = commandLineIpVersion.isPresent();
  }

  public static Script parse(Path path) throws IOException, ScriptException {
    return parse(path, Map.of());
  }

  /** Parses with the command line's {@code -D NAME=VALUE} definitions. */
  public static Script parse(Path path, Map<String, String> defines) throws IOException, ScriptException {
    return parse(path.toString(), Files.readString(path), defines);
  }

  public static Script parse(String file, String text) throws ScriptException {
    return parse(file, text, Map.of());
  }

  public static Script parse(String file, String text, Map<String, String> defines) throws ScriptException {
    return new Parser(Lexer.tokenize(file, text), defines, Optional.empty()).script(file);
  }

  /**
   * Parses with the command line's definitions and its {@code --ip_version}, if it gives one
   * (ICMP lines name ICMPv6 types under ipv6).
   */
  public static Script parse(Path path, Map<String, String> defines, Optional<String> ipVersion)
      throws IOException, ScriptException {
    return new Parser(Lexer.tokenize(path.toString(), Files.readString(path)), defines, ipVersion)
        .script(path.toString());
  }

  /** Thrown inside an event when it uses a construct outside the supported subset. */
  private static final class NotSupported extends Exception {
    final transient Pos pos;
    final String feature;

    NotSupported(Pos pos, String feature) {
      super(feature, null, false, false);
      this.pos = pos;
      this.feature = feature;
    }
  }

  // ---- token helpers

  private Token tok() {
    return tokens.get(at);
  }

  private Token peekTok(int ahead) {
    return tokens.get(Math.min(at + ahead, tokens.size() - 1));
  }

  private Token take() {
    Token t = tokens.get(at);
    if (t.kind() != Kind.EOF) at++;
    return t;
  }

  private ScriptException expected(String what) {
    return new ScriptException(tok().pos(), "expected " + what + ", found " + tok().describe());
  }

  private Token expectPunct(char c) throws ScriptException {
    if (!tok().isPunct(c)) throw expected("'" + c + "'");
    return take();
  }

  private Token expectWord(String w) throws ScriptException {
    if (!tok().isWord(w)) throw expected("'" + w + "'");
    return take();
  }

  private long integer(String what, long max) throws ScriptException {
    Token t = tok();
    if (!t.is(Kind.INTEGER) && !t.is(Kind.HEX_INTEGER)) throw expected(what);
    take();
    long v = intValue(t);
    if (v < 0 || v > max) {
      throw new ScriptException(t.pos(), what + " out of range 0.." + max + ": " + t.text());
    }
    return v;
  }

  private static long intValue(Token t) throws ScriptException {
    try {
      return t.is(Kind.HEX_INTEGER)
          ? Long.parseUnsignedLong(t.text().substring(2), 16)
          : Long.parseLong(t.text());
    } catch (NumberFormatException e) {
      throw new ScriptException(t.pos(), "integer out of range: " + t.text());
    }
  }

  // ---- script: opt_options opt_init_command events opt_cleanup_command

  private Script script(String file) throws ScriptException {
    List<ScriptOption> options = new ArrayList<>();
    while (tok().is(Kind.OPTION)) options.add(option());
    substituteDefinitions(options);
    Optional<ShellCommand> init = Optional.empty();
    if (tok().is(Kind.BACK_QUOTED)) init = Optional.of(command());
    List<ScriptEvent> events = new ArrayList<>();
    Optional<ShellCommand> cleanup = Optional.empty();
    while (!tok().is(Kind.EOF)) {
      if (tok().is(Kind.BACK_QUOTED) && peekTok(1).is(Kind.EOF)) {
        cleanup = Optional.of(command());
        break;
      }
      event().ifPresent(events::add);
    }
    return new Script(file, options, init, events, cleanup, unsupported);
  }

  private ScriptOption option() throws ScriptException {
    Token flag = take();
    Optional<String> value = Optional.empty();
    if (tok().isPunct('=')) {
      take();
      Token v = tok();
      switch (v.kind()) {
        case INTEGER, HEX_INTEGER, FLOAT, STRING, IPV4_ADDR, IPV6_ADDR -> value = Optional.of(take().text());
        case WORD -> {
          String s = take().text();
          if (tok().isPunct('=')) { // --define=NAME=value
            take();
            Token rhs = tok();
            if (!rhs.is(Kind.WORD) && !rhs.is(Kind.STRING) && !rhs.is(Kind.BACK_QUOTED)) {
              throw expected("a word, string or `command` after '" + s + "='");
            }
            // As parser.y keeps them: NAME="text" and NAME=`command` keep their quotes, which
            // tell the lexer what the name stands for.
            String text = take().text();
            s = s + "=" + switch (rhs.kind()) {
              case STRING -> "\"" + text + "\"";
              case BACK_QUOTED -> "`" + text + "`";
              default -> text;
            };
          }
          value = Optional.of(s);
        }
        default -> throw expected("an option value after '--" + flag.text() + "='");
      }
    }
    if (flag.text().equals("ip_version") && !ipVersionFromCommandLine) value.ifPresent(v -> ipVersion = v);
    return new ScriptOption(flag.pos(), flag.text(), value);
  }

  /**
   * Replaces every word after the header that names a definition by its value, as packetdrill's
   * lexer does (lexer.l, word()): {@code "text"} becomes a string, {@code `text`} a shell command,
   * an integer (C's strtol, base 0) an integer, anything else a word. The script's {@code
   * --define=NAME=VALUE} options count, and the command line's win over them.
   */
  private void substituteDefinitions(List<ScriptOption> options) {
    Map<String, String> defines = new HashMap<>();
    for (ScriptOption o : options) {
      String v = o.value().orElse("");
      if (o.name().equals("define") && v.indexOf('=') > 0) {
        defines.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
      }
    }
    defines.putAll(commandLineDefines);
    if (defines.isEmpty()) return;
    for (int k = at; k < tokens.size(); k++) {
      Token t = tokens.get(k);
      String value = t.is(Kind.WORD) ? defines.get(t.text()) : null;
      if (value == null) continue;
      tokens.set(k, definedToken(value, t.pos()));
    }
  }

  private static Token definedToken(String value, Pos pos) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return new Token(Kind.STRING, value.substring(1, value.length() - 1), pos);
    }
    if (value.length() >= 2 && value.startsWith("`") && value.endsWith("`")) {
      return new Token(Kind.BACK_QUOTED, value.substring(1, value.length() - 1), pos);
    }
    OptionalLong n = strtol(value);
    if (n.isPresent()) return new Token(Kind.INTEGER, Long.toString(n.getAsLong()), pos);
    return new Token(Kind.WORD, value, pos);
  }

  /** C's strtol(text, &end, 0) when it takes the whole text: 0x hex, 0 octal, else decimal. */
  private static OptionalLong strtol(String text) {
    String t = text.strip();
    boolean negative = t.startsWith("-");
    String digits = negative || t.startsWith("+") ? t.substring(1) : t;
    int radix = 10;
    if (digits.length() > 2 && (digits.startsWith("0x") || digits.startsWith("0X"))) {
      radix = 16;
      digits = digits.substring(2);
    } else if (digits.length() > 1 && digits.startsWith("0")) {
      radix = 8;
      digits = digits.substring(1);
    }
    try {
      long v = Long.parseLong(digits, radix);
      return OptionalLong.of(negative ? -v : v);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private ShellCommand command() {
    Token t = take();
    return new ShellCommand(t.pos(), t.text());
  }

  // ---- event: event_time action

  private Optional<ScriptEvent> event() throws ScriptException {
    Pos pos = tok().pos();
    EventTime time = eventTime();
    try {
      ScriptAction action = action();
      boolean outbound = action instanceof TcpPacket p && p.direction() == Direction.OUTBOUND;
      switch (time) {
        case EventTime.AnyTime a when !outbound ->
            throw new ScriptException(pos, "event time * can only be used with outbound packets");
        case EventTime.AbsoluteRange r when !outbound ->
            throw new ScriptException(pos, "event time range can only be used with outbound packets");
        case EventTime.RelativeRange r when !outbound ->
            throw new ScriptException(pos, "event time range can only be used with outbound packets");
        default -> {}
      }
      return Optional.of(new ScriptEvent(pos, time, action));
    } catch (NotSupported e) {
      unsupported.add(new Unsupported(e.pos, e.feature));
      skipToNextEvent(pos.line());
      return Optional.empty();
    }
  }

  /** Skips to the first token on a later line that can start an event. */
  private void skipToNextEvent(int line) {
    while (!tok().is(Kind.EOF)) {
      Token t = tok();
      boolean startsEvent = t.isPunct('+') || t.isPunct('*') || t.is(Kind.FLOAT)
          || t.is(Kind.INTEGER) || t.is(Kind.BACK_QUOTED);
      if (t.pos().line() > line && startsEvent) return;
      take();
    }
  }

  private EventTime eventTime() throws ScriptException {
    if (tok().isPunct('*')) {
      take();
      return new EventTime.AnyTime();
    }
    if (tok().isPunct('+')) {
      take();
      long t = time();
      if (tok().isPunct('~')) {
        Token tilde = take();
        if (!tok().isPunct('+')) throw expected("'+' after '~' in a relative time range");
        take();
        long end = time();
        if (end < t) throw new ScriptException(tilde.pos(), "time range is backwards");
        return new EventTime.RelativeRange(t, end);
      }
      return new EventTime.Relative(t);
    }
    if (tok().is(Kind.FLOAT) || tok().is(Kind.INTEGER)) {
      long t = time();
      if (tok().isPunct('~')) {
        Token tilde = take();
        long end = time();
        if (end < t) throw new ScriptException(tilde.pos(), "time range is backwards");
        return new EventTime.AbsoluteRange(t, end);
      }
      return new EventTime.Absolute(t);
    }
    throw expected("an event time (such as 0.100, +0.1, * or 0.1~0.2)");
  }

  /** time: FLOAT or INTEGER seconds, converted to microseconds exactly. */
  private long time() throws ScriptException {
    Token t = tok();
    if (!t.is(Kind.FLOAT) && !t.is(Kind.INTEGER)) throw expected("a time in seconds");
    take();
    BigDecimal seconds = new BigDecimal(t.text());
    if (seconds.signum() < 0) throw new ScriptException(t.pos(), "negative time");
    return seconds.movePointRight(6).setScale(0, RoundingMode.DOWN).longValueExact();
  }

  private ScriptAction action() throws ScriptException, NotSupported {
    Token t = tok();
    if (t.isPunct('<') || t.isPunct('>')) return packetSpec();
    if (t.is(Kind.BACK_QUOTED)) return command();
    if (t.is(Kind.CODE)) {
      take();
      return new CodeBlock(t.pos(), t.text());
    }
    if (t.is(Kind.ELLIPSIS) || t.is(Kind.WORD)) return syscallSpec();
    throw expected("a packet ('<' or '>'), a system call, a `shell command` or a %{ }% block");
  }

  // ---- packet_spec: tcp_packet_spec | udp_packet_spec | icmp_packet_spec

  private ScriptAction packetSpec() throws ScriptException, NotSupported {
    Token dirTok = take();
    Direction dir = dirTok.isPunct('<') ? Direction.INBOUND : Direction.OUTBOUND;
    Token t = tok();
    if (t.isWord("ipv4") || t.isWord("ipv6") || t.isWord("gre") || t.isWord("GREv0")
        || t.isWord("mpls")) {
      throw new NotSupported(t.pos(), "encapsulated packets (" + t.text() + ")");
    }
    IpFields ip = optIpInfo();
    t = tok();
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
    if (!tok().isPunct('(') && !tok().isPunct('[')) return IpFields.NONE;
    char close = take().isPunct('(') ? ')' : ']';
    IpFields ip = ipInfo();
    expectPunct(close);
    return ip;
  }

  /** ip_info: tos_spec | flow_label | TTL INTEGER | tos_spec ',' flow_label. */
  private IpFields ipInfo() throws ScriptException {
    Token t = tok();
    if (t.isWord("flowlabel")) return new IpFields(IpFields.TosCheck.NONE, 0, flowLabel(), 0);
    if (t.isWord("ttl")) {
      take();
      Token v = tok();
      long ttl = integer("a TTL", Long.MAX_VALUE);
      if (ttl > 0xFF) throw new ScriptException(v.pos(), "ttl out of range for 8 bits");
      return new IpFields(IpFields.TosCheck.NONE, 0, 0, (int) ttl);
    }
    IpFields.TosCheck check;
    int tos;
    switch (t.text()) {
      case "noecn", "ect1", "ect0", "ce" -> {
        take();
        check = IpFields.TosCheck.ECN;
        tos = switch (t.text()) {
          case "noecn" -> IpFields.ECN_NOT_ECT;
          case "ect1" -> IpFields.ECN_ECT1;
          case "ect0" -> IpFields.ECN_ECT0;
          default -> IpFields.ECN_CE;
        };
      }
      case "ect01" -> {
        take();
        check = IpFields.TosCheck.ECT01;
        tos = 0;
      }
      case "tos" -> {
        take();
        Token v = tok();
        if (!v.is(Kind.HEX_INTEGER)) throw expected("a hex TOS byte such as 0x10 after 'tos'");
        take();
        long value = intValue(v);
        if (value > 0xFF) throw new ScriptException(v.pos(), "tos out of range for 8 bits");
        check = IpFields.TosCheck.TOS;
        tos = (int) value;
      }
      default -> throw expected("IP header fields (ect0, ect1, ce, noecn, ect01, tos 0x.., flowlabel 0x.. or ttl N)");
    }
    int flow = 0;
    if (tok().isPunct(',')) {
      take();
      if (!tok().isWord("flowlabel")) throw expected("'flowlabel' after ','");
      flow = flowLabel();
    }
    return new IpFields(check, tos, flow, 0);
  }

  /** flow_label: FLOWLABEL HEX_INTEGER. */
  private int flowLabel() throws ScriptException {
    take();
    Token v = tok();
    if (!v.is(Kind.HEX_INTEGER)) throw expected("a hex flow label such as 0x12345 after 'flowlabel'");
    take();
    long value = intValue(v);
    if (value > 0xFFFFF) throw new ScriptException(v.pos(), "flowlabel out of range for 20 bits");
    return (int) value;
  }

  /**
   * icmp_packet_spec: ICMP icmp_type opt_icmp_code opt_icmp_mtu opt_icmp_echo_id
   * opt_icmp_echoed. Type and code names are resolved for the script's IP version (its {@code
   * --ip_version} header, IPv4 without one), with packetdrill's errors for names it does not know.
   */
  private ScriptAction icmpPacketSpec(Token dirTok, Direction dir, IpFields ip)
      throws ScriptException, NotSupported {
    Token icmp = take();
    if (dir == Direction.OUTBOUND) throw new NotSupported(icmp.pos(), "outbound ICMP packets");
    if (!tok().is(Kind.WORD)) throw expected("an ICMP type (such as unreachable)");
    Token typeTok = take();
    Optional<Token> codeTok = Optional.empty();
    if (tok().is(Kind.WORD) && !tok().isWord("mtu") && !tok().isWord("id")) codeTok = Optional.of(take());
    OptionalLong mtu = OptionalLong.empty();
    Token mtuTok = tok();
    if (tok().isWord("mtu")) {
      take();
      mtu = OptionalLong.of(integer("an MTU", Long.MAX_VALUE));
    }
    int echoId = 0;
    if (tok().isWord("id")) {
      take();
      Token v = tok();
      long id = integer("an echo id", Long.MAX_VALUE);
      if (id > 0xFFFF) throw new ScriptException(v.pos(), "invalid echo_id, must be between 0 and 65535");
      echoId = (int) id;
    }
    IcmpPacket.Quoted quoted = new IcmpPacket.Quoted.Tcp(0, 0);
    if (tok().isPunct('[')) {
      take();
      if (tok().isWord("udp") || tok().isWord("raw")) {
        boolean udp = take().isWord("udp");
        expectPunct('(');
        int length = (int) integer("a payload length", 0xFFFF);
        expectPunct(')');
        quoted = udp ? new IcmpPacket.Quoted.Udp(length) : new IcmpPacket.Quoted.Raw(length);
      } else {
        Token seqTok = tok();
        long start = integer("a sequence range start:end(length)", 0xFFFFFFFFL);
        expectPunct(':');
        long end = integer("TCP end sequence number", 0xFFFFFFFFL);
        expectPunct('(');
        int len = (int) integer("TCP payload size", 0xFFFF);
        expectPunct(')');
        if (end != start + len) {
          throw new ScriptException(seqTok.pos(), "inconsistent TCP sequence numbers and payload size");
        }
        quoted = new IcmpPacket.Quoted.Tcp(start, len);
      }
      expectPunct(']');
    }
    boolean ipv6 = ipVersion.equals("ipv6");
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
   * the checks packetdrill's new_tcp_packet makes: options padded to 4 bytes, inbound windows
   * given.
   */
  private ScriptAction tcpPacketSpec(Token dirTok, Direction dir, IpFields ip)
      throws ScriptException, NotSupported {
    Optional<TcpPacket.Ports> ports = Optional.empty();
    if (tok().is(Kind.INTEGER) && peekTok(1).isPunct('>')) {
      int src = (int) integer("source port", 0xFFFF);
      take();
      int dst = (int) integer("destination port", 0xFFFF);
      ports = Optional.of(new TcpPacket.Ports(src, dst));
    }
    Flags flags = flags();
    Token seqTok = tok();
    long start = integer("a sequence range start:end(length)", 0xFFFFFFFFL);
    expectPunct(':');
    long end = integer("TCP end sequence number", 0xFFFFFFFFL);
    expectPunct('(');
    int len = (int) integer("TCP payload size", 0xFFFF);
    expectPunct(')');
    if (end != start + len) {
      throw new ScriptException(seqTok.pos(), "inconsistent TCP sequence numbers and payload size");
    }
    OptionalLong ack = OptionalLong.empty();
    if (tok().isWord("ack")) {
      take();
      ack = OptionalLong.of(integer("TCP ack sequence number", 0xFFFFFFFFL));
    }
    OptionalInt win = OptionalInt.empty();
    if (tok().isWord("win")) {
      take();
      win = OptionalInt.of((int) integer("TCP window value", 0xFFFF));
    }
    int urg = 0;
    if (tok().isWord("urg")) {
      take();
      urg = (int) integer("urg_ptr value", 0xFFFF);
    }
    OptionsSpec options = new OptionsSpec.Listed(List.of());
    if (tok().isPunct('<')) {
      Token open = take();
      if (tok().is(Kind.ELLIPSIS)) {
        take();
        expectPunct('>');
        if (dir == Direction.INBOUND) {
          throw new ScriptException(open.pos(),
              "<...> for TCP options can only be used with outbound packets");
        }
        options = new OptionsSpec.Any();
      } else {
        List<TcpOption> list = new ArrayList<>();
        list.add(tcpOption());
        while (tok().isPunct(',')) {
          take();
          list.add(tcpOption());
        }
        expectPunct('>');
        int bytes = list.stream().mapToInt(TcpOption::wireLength).sum();
        if (bytes > Segment.TCP_MAX_OPTIONS_LENGTH) {
          throw new ScriptException(open.pos(), "TCP option list too long");
        }
        if (bytes % 4 != 0) {
          throw new ScriptException(open.pos(), "TCP options are not padded correctly to ensure TCP"
              + " header is a multiple of 4 bytes: " + bytes % 4 + " excess bytes");
        }
        options = new OptionsSpec.Listed(list);
      }
    }
    if (tok().isPunct('{')) throw new NotSupported(tok().pos(), "packet fuzzing");
    if (win.isEmpty() && dir == Direction.INBOUND) {
      throw new ScriptException(dirTok.pos(), "window must be specified for inbound packets");
    }
    return new TcpPacket(dirTok.pos(), dir, ip, ports, flags.bits(), flags.aceCount(), start, len, ack, win, urg,
        options);
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
    Token t = tok();
    if (t.isPunct('.')) {
      take();
      return new Flags(TcpFlags.ACK, false);
    }
    if (t.isPunct('-')) {
      take();
      return new Flags(0, false);
    }
    String text;
    if (t.is(Kind.FLOAT)) {
      text = take().text();
    } else if (t.is(Kind.WORD) && peekTok(1).is(Kind.FLOAT)) {
      take();
      text = t.text() + take().text();
    } else if (t.is(Kind.WORD)) {
      take();
      text = t.text();
      if (tok().isPunct('.')) {
        take();
        text += ".";
      }
    } else {
      throw expected("TCP flags (such as S, S., F., P., R, ., S.1 or -)");
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

  private TcpOption tcpOption() throws ScriptException {
    Token t = tok();
    if (!t.is(Kind.WORD)) throw expected("a TCP option (nop, eol, mss, wscale, sackOK, sack, TS, md5, FO, FOEXP, ECN)");
    switch (t.text()) {
      case "nop" -> {
        take();
        return new TcpOption.Nop();
      }
      case "eol" -> {
        take();
        return new TcpOption.Eol();
      }
      case "mss" -> {
        take();
        return new TcpOption.Mss((int) integer("mss value", 0xFFFF));
      }
      case "wscale" -> {
        take();
        return new TcpOption.WindowScale((int) integer("window scale shift count", 0xFF));
      }
      case "sackOK" -> {
        take();
        return new TcpOption.SackPermitted();
      }
      case "sack" -> {
        take();
        List<TcpOption.SackBlock> blocks = new ArrayList<>();
        do {
          int left = (int) integer("TCP SACK left sequence number", 0xFFFFFFFFL);
          expectPunct(':');
          int right = (int) integer("TCP SACK right sequence number", 0xFFFFFFFFL);
          blocks.add(new TcpOption.SackBlock(left, right));
        } while (tok().is(Kind.INTEGER));
        if (blocks.size() > 4) throw new ScriptException(t.pos(), "TCP option list too long");
        return new TcpOption.Sack(blocks);
      }
      case "TS" -> {
        take();
        expectWord("val");
        int val = (int) integer("ts val", 0xFFFFFFFFL);
        expectWord("ecr");
        int ecr = (int) integer("ecr val", 0xFFFFFFFFL);
        return new TcpOption.Timestamp(val, ecr);
      }
      case "md5" -> {
        take();
        Token blob = hexBlob().orElseThrow(() -> expected("an MD5 digest in hex after 'md5'"));
        byte[] digest = hex(blob.text()).orElseThrow(
            () -> new ScriptException(blob.pos(), "TCP MD5 digest is not a valid hex string"));
        if (blob.text().length() / 2 > MD5_DIGEST_BYTES) {
          throw new ScriptException(blob.pos(), "TCP MD5 digest longer than 16 bytes");
        }
        return new TcpOption.Unknown(TCPOPT_MD5SIG, digest);
      }
      case "FO", "FOEXP" -> {
        take();
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
        take();
        return accEcnOption();
      }
      default -> throw expected("a TCP option (nop, eol, mss, wscale, sackOK, sack, TS, md5, FO, FOEXP, ECN)");
    }
  }

  /**
   * accecn_option, after {@code ECN}: {@code e0b N [ceb N [e1b N]]} is AccECN0 (kind 172),
   * {@code e1b N [ceb N [e0b N]]} AccECN1 (kind 174), each field a 24-bit counter (RFC 9768
   * §3.2.3), written big-endian in that order as parser.y's new_tcp_accecn_option writes them.
   */
  private TcpOption accEcnOption() throws ScriptException {
    Token first = tok();
    boolean order0 = first.isWord("e0b");
    if (!order0 && !first.isWord("e1b")) throw expected("e0b or e1b after ECN");
    take();
    List<Long> fields = new ArrayList<>();
    fields.add(accEcnField());
    if (tok().isWord("ceb")) {
      take();
      fields.add(accEcnField());
      if (tok().isWord(order0 ? "e1b" : "e0b")) {
        take();
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
    if (!tok().is(Kind.INTEGER)) throw expected("a TCP AccECN field value (decimal)");
    return integer("TCP AccECN field value", ACCECN_FIELD_MAX);
  }

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

  /** hex_blob: a WORD or an INTEGER, read as hex digits; empty when neither follows. */
  private Optional<Token> hexBlob() {
    Token t = tok();
    if (t.is(Kind.INTEGER) || (t.is(Kind.WORD) && !KEYWORDS.contains(t.text()))) return Optional.of(take());
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

  // ---- syscall_spec: opt_end_time function_name function_arguments '=' expression opt_errno opt_note

  private Syscall syscallSpec() throws ScriptException {
    OptionalLong end = OptionalLong.empty();
    if (tok().is(Kind.ELLIPSIS)) {
      take();
      end = OptionalLong.of(time());
    }
    Token name = tok();
    if (!name.is(Kind.WORD)) throw expected("a system call name");
    take();
    expectPunct('(');
    List<Expr> args = new ArrayList<>();
    if (!tok().isPunct(')')) {
      args.add(expression());
      while (tok().isPunct(',')) {
        take();
        args.add(expression());
      }
    }
    expectPunct(')');
    expectPunct('=');
    Expr result = expression();
    Optional<Syscall.ErrnoSpec> errno = Optional.empty();
    Optional<String> note = Optional.empty();
    // opt_errno opt_note: a word after the result is always the errno (no event starts with a
    // word), wherever the lines of a multi-line call put it.
    if (tok().is(Kind.WORD)) {
      String errName = take().text();
      String text = tok().isPunct('(') ? note() : "";
      errno = Optional.of(new Syscall.ErrnoSpec(errName, text));
    } else if (tok().isPunct('(')) {
      note = Optional.of(note());
    }
    return new Syscall(name.pos(), name.text(), end, args, result, errno, note);
  }

  /** note: '(' word_list ')'. Any tokens are accepted as words. */
  private String note() throws ScriptException {
    Token open = expectPunct('(');
    StringBuilder b = new StringBuilder();
    while (!tok().isPunct(')')) {
      if (tok().is(Kind.EOF) || tok().pos().line() != open.pos().line()) {
        throw expected("')' closing the note opened at " + open.pos());
      }
      if (!b.isEmpty()) b.append(' ');
      b.append(take().text());
    }
    take();
    return b.toString();
  }

  // ---- expression

  private Expr expression() throws ScriptException {
    Expr left = primary();
    while (tok().isPunct('|')) {
      Token bar = take();
      left = new Expr.Or(bar.pos(), left, primary());
    }
    return left;
  }

  private Expr primary() throws ScriptException {
    Token t = tok();
    switch (t.kind()) {
      case ELLIPSIS -> {
        take();
        return new Expr.Ellipsis(t.pos());
      }
      case INTEGER, HEX_INTEGER -> {
        take();
        return new Expr.Int(t.pos(), intValue(t));
      }
      case STRING -> {
        StringBuilder b = new StringBuilder();
        while (tok().is(Kind.STRING)) b.append(take().text());
        boolean ellipsis = false;
        if (tok().is(Kind.ELLIPSIS)) {
          take();
          ellipsis = true;
        }
        return new Expr.Str(t.pos(), b.toString(), ellipsis);
      }
      case WORD -> {
        take();
        Expr e = new Expr.Word(t.pos(), t.text());
        if (tok().isPunct('(')) {
          take();
          List<Expr> args = new ArrayList<>();
          if (!tok().isPunct(')')) {
            args.add(expression());
            while (tok().isPunct(',')) {
              take();
              args.add(expression());
            }
          }
          expectPunct(')');
          e = new Expr.Call(t.pos(), t.text(), args);
        }
        if (tok().isPunct('=')) {
          take();
          return new Expr.Assign(t.pos(), e, expression());
        }
        return e;
      }
      case PUNCT -> {
        if (t.isPunct('[') || t.isPunct('{')) {
          take();
          char close = t.isPunct('[') ? ']' : '}';
          List<Expr> items = new ArrayList<>();
          if (!tok().isPunct(close)) {
            items.add(expression());
            while (tok().isPunct(',')) {
              take();
              items.add(expression());
            }
          }
          expectPunct(close);
          return close == ']' ? new Expr.Array(t.pos(), items) : new Expr.Struct(t.pos(), items);
        }
        throw expected("an expression");
      }
      default -> throw expected("an expression");
    }
  }
}
