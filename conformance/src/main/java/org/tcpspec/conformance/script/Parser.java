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
import org.tcpspec.conformance.script.Token.Kind;
import org.tcpspec.conformance.script.TcpPacket.Direction;
import org.tcpspec.conformance.script.TcpPacket.OptionsSpec;
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

  private Parser(List<Token> tokens, Map<String, String> commandLineDefines) {
    this.tokens = new ArrayList<>(tokens);
    this.commandLineDefines = commandLineDefines;
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
    return new Parser(Lexer.tokenize(file, text), defines).script(file);
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

  // ---- packet_spec

  private ScriptAction packetSpec() throws ScriptException, NotSupported {
    Token dirTok = take();
    Direction dir = dirTok.isPunct('<') ? Direction.INBOUND : Direction.OUTBOUND;
    Token t = tok();
    if (t.isWord("ipv4") || t.isWord("ipv6") || t.isWord("gre") || t.isWord("GREv0")
        || t.isWord("mpls")) {
      throw new NotSupported(t.pos(), "encapsulated packets (" + t.text() + ")");
    }
    if (t.isPunct('(') || t.isPunct('[')) {
      throw new NotSupported(t.pos(), "IP header fields (ECN, TOS, flow label, TTL)");
    }
    if (t.isWord("udp")) throw new NotSupported(t.pos(), "UDP packets");
    if (t.isWord("icmp")) throw new NotSupported(t.pos(), "ICMP packets");
    Optional<TcpPacket.Ports> ports = Optional.empty();
    if (t.is(Kind.INTEGER) && peekTok(1).isPunct('>')) {
      int src = (int) integer("source port", 0xFFFF);
      take();
      int dst = (int) integer("destination port", 0xFFFF);
      ports = Optional.of(new TcpPacket.Ports(src, dst));
    }
    int flags = flags();
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
        if (bytes > 40) throw new ScriptException(open.pos(), "TCP option list too long");
        options = new OptionsSpec.Listed(list);
      }
    }
    if (tok().isPunct('{')) throw new NotSupported(tok().pos(), "packet fuzzing");
    return new TcpPacket(dirTok.pos(), dir, ports, flags, start, len, ack, win, urg, options);
  }

  /** flags: WORD ['.'] | '.' | '-'; letters F S R P U E W, '.' for ACK. */
  private int flags() throws ScriptException, NotSupported {
    Token t = tok();
    if (t.isPunct('.')) {
      take();
      return TcpFlags.ACK;
    }
    if (t.isPunct('-')) {
      take();
      return 0;
    }
    if (t.is(Kind.FLOAT) || (t.is(Kind.WORD) && peekTok(1).is(Kind.FLOAT))) {
      throw new NotSupported(t.pos(), "AccECN ACE field in flags");
    }
    if (!t.is(Kind.WORD)) throw expected("TCP flags (such as S, S., F., P., R, . or -)");
    take();
    int flags = 0;
    for (int k = 0; k < t.text().length(); k++) {
      char c = t.text().charAt(k);
      flags |= switch (c) {
        case 'F' -> TcpFlags.FIN;
        case 'S' -> TcpFlags.SYN;
        case 'R' -> TcpFlags.RST;
        case 'P' -> TcpFlags.PSH;
        case 'U' -> TcpFlags.URG;
        case 'E' -> TcpFlags.ECE;
        case 'W' -> TcpFlags.CWR;
        default -> {
          Pos p = new Pos(t.pos().file(), t.pos().line(), t.pos().column() + k);
          throw new ScriptException(p, "unknown TCP flag '" + c + "': expected one of F S R P U E W .");
        }
      };
    }
    if (tok().isPunct('.') && tok().pos().line() == t.pos().line()
        && tok().pos().column() == t.pos().column() + t.text().length()) {
      take();
      flags |= TcpFlags.ACK;
    }
    return flags;
  }

  private TcpOption tcpOption() throws ScriptException, NotSupported {
    Token t = tok();
    if (!t.is(Kind.WORD)) throw expected("a TCP option (nop, eol, mss, wscale, sackOK, sack, TS)");
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
      case "md5" -> throw new NotSupported(t.pos(), "TCP MD5 option");
      case "FO", "FOEXP" -> throw new NotSupported(t.pos(), "TCP Fast Open option");
      default -> throw expected("a TCP option (nop, eol, mss, wscale, sackOK, sack, TS)");
    }
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
    if (tok().is(Kind.WORD) && tok().pos().line() == name.pos().line()) {
      String errName = take().text();
      String text = tok().isPunct('(') ? note() : "";
      errno = Optional.of(new Syscall.ErrnoSpec(errName, text));
    } else if (tok().isPunct('(') && tok().pos().line() == name.pos().line()) {
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
