package org.tcpspec.conformance.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.tcpspec.conformance.script.TcpPacket.Direction;
import org.tcpspec.conformance.script.Token.Kind;

/**
 * Recursive-descent parser for packetdrill's language. One method per rule of packetdrill's
 * grammar (parser.y), named after it: {@code script}, {@code event}, {@code eventTime}, {@code
 * tcpPacketSpec}, {@code syscallSpec}, {@code expression}, ... Syntax errors throw {@link
 * ScriptException} naming file:line:column and what was expected; constructs outside the
 * supported subset are recorded as {@link Unsupported} and parsing resumes at the next event.
 *
 * <p>This class holds the script's outline (header options, {@code -D} definitions, events and
 * their times, shell commands and code blocks); the rules below an action are split by concern,
 * all reading one {@link TokenCursor}: {@link PacketParser} (packet lines, with {@link
 * TcpOptionParser} for their TCP options) and {@link SyscallParser} (system calls and their
 * expressions).
 */
public final class Parser {

  private final TokenCursor in;
  private final List<Unsupported> unsupported = new ArrayList<>();
  /** Command-line definitions ({@code -D NAME=VALUE}); they win over the script's own. */
  private final Map<String, String> commandLineDefines;
  /**
   * The run's {@code --ip_version}, if the command line gives one: it wins over the script's, as
   * in packetdrill, whose grammar reads the finished configuration.
   */
  private final Optional<String> commandLineIpVersion;
  private final SyscallParser syscalls;
  /** Made once the header is read, which settles the IP version ICMP names are read for. */
  private PacketParser packets;

  private Parser(List<Token> tokens, Map<String, String> commandLineDefines, Optional<String> commandLineIpVersion) {
    this.in = new TokenCursor(tokens);
    this.commandLineDefines = commandLineDefines;
    this.commandLineIpVersion = commandLineIpVersion;
    this.syscalls = new SyscallParser(in);
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

  /**
   * A check of the script's header options, run as soon as they are read and before any event is
   * parsed: packetdrill's grammar finalizes its configuration when it reduces {@code opt_options}
   * (parser.y, parse_and_finalize_config), so a bad option is the first error a script reports,
   * ahead of any syntax error in its events.
   */
  @FunctionalInterface
  public interface HeaderCheck<E extends Exception> {
    void check(List<ScriptOption> options) throws E;
  }

  /**
   * Parses with the command line's definitions and {@code --ip_version}, running {@code header}
   * over the script's options before its events are parsed.
   */
  public static <E extends Exception> Script parse(Path path, Map<String, String> defines,
      Optional<String> ipVersion, HeaderCheck<E> header) throws IOException, ScriptException, E {
    return new Parser(Lexer.tokenize(path.toString(), Files.readString(path)), defines, ipVersion)
        .script(path.toString(), header);
  }

  // ---- script: opt_options opt_init_command events opt_cleanup_command

  private Script script(String file) throws ScriptException {
    return script(file, options -> { });
  }

  private <E extends Exception> Script script(String file, HeaderCheck<E> header)
      throws ScriptException, E {
    List<ScriptOption> options = new ArrayList<>();
    while (in.tok().is(Kind.OPTION)) options.add(option());
    header.check(List.copyOf(options));
    substituteDefinitions(options);
    packets = new PacketParser(in, ipVersion(options).equals("ipv6"));
    Optional<ShellCommand> init = Optional.empty();
    if (in.tok().is(Kind.BACK_QUOTED)) init = Optional.of(command());
    List<ScriptEvent> events = new ArrayList<>();
    Optional<ShellCommand> cleanup = Optional.empty();
    while (!in.tok().is(Kind.EOF)) {
      if (in.tok().is(Kind.BACK_QUOTED) && in.peekTok(1).is(Kind.EOF)) {
        cleanup = Optional.of(command());
        break;
      }
      event().ifPresent(events::add);
    }
    return new Script(file, options, init, events, cleanup, unsupported);
  }

  private ScriptOption option() throws ScriptException {
    Token flag = in.take();
    Optional<String> value = Optional.empty();
    if (in.tok().isPunct('=')) {
      in.take();
      Token v = in.tok();
      switch (v.kind()) {
        case INTEGER, HEX_INTEGER, FLOAT, STRING, IPV4_ADDR, IPV6_ADDR -> value = Optional.of(in.take().text());
        case WORD -> {
          String s = in.take().text();
          if (in.tok().isPunct('=')) { // --define=NAME=value
            in.take();
            Token rhs = in.tok();
            if (!rhs.is(Kind.WORD) && !rhs.is(Kind.STRING) && !rhs.is(Kind.BACK_QUOTED)) {
              throw in.expected("a word, string or `command` after '" + s + "='");
            }
            // As parser.y keeps them: NAME="text" and NAME=`command` keep their quotes, which
            // tell the lexer what the name stands for.
            String text = in.take().text();
            s = s + "=" + switch (rhs.kind()) {
              case STRING -> "\"" + text + "\"";
              case BACK_QUOTED -> "`" + text + "`";
              default -> text;
            };
          }
          value = Optional.of(s);
        }
        default -> throw in.expected("an option value after '--" + flag.text() + "='");
      }
    }
    return new ScriptOption(flag.pos(), flag.text(), value);
  }

  /**
   * The run's IP version, which decides the ICMP type and code names: the command line's, else
   * the script's last {@code --ip_version=...}, else ipv4.
   */
  private String ipVersion(List<ScriptOption> options) {
    String fromScript = "ipv4";
    for (ScriptOption o : options) {
      if (o.name().equals("ip_version") && o.value().isPresent()) fromScript = o.value().get();
    }
    return commandLineIpVersion.orElse(fromScript);
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
    in.replaceAhead(t -> {
      String value = t.is(Kind.WORD) ? defines.get(t.text()) : null;
      return value == null ? t : definedToken(value, t.pos());
    });
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
    Token t = in.take();
    return new ShellCommand(t.pos(), t.text());
  }

  // ---- event: event_time action

  private Optional<ScriptEvent> event() throws ScriptException {
    Pos pos = in.tok().pos();
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
    while (!in.tok().is(Kind.EOF)) {
      Token t = in.tok();
      boolean startsEvent = t.isPunct('+') || t.isPunct('*') || t.is(Kind.FLOAT)
          || t.is(Kind.INTEGER) || t.is(Kind.BACK_QUOTED);
      if (t.pos().line() > line && startsEvent) return;
      in.take();
    }
  }

  private EventTime eventTime() throws ScriptException {
    if (in.tok().isPunct('*')) {
      in.take();
      return new EventTime.AnyTime();
    }
    if (in.tok().isPunct('+')) {
      in.take();
      long t = in.time();
      if (in.tok().isPunct('~')) {
        Token tilde = in.take();
        if (!in.tok().isPunct('+')) throw in.expected("'+' after '~' in a relative time range");
        in.take();
        long end = in.time();
        if (end < t) throw new ScriptException(tilde.pos(), "time range is backwards");
        return new EventTime.RelativeRange(t, end);
      }
      return new EventTime.Relative(t);
    }
    if (in.tok().is(Kind.FLOAT) || in.tok().is(Kind.INTEGER)) {
      long t = in.time();
      if (in.tok().isPunct('~')) {
        Token tilde = in.take();
        long end = in.time();
        if (end < t) throw new ScriptException(tilde.pos(), "time range is backwards");
        return new EventTime.AbsoluteRange(t, end);
      }
      return new EventTime.Absolute(t);
    }
    throw in.expected("an event time (such as 0.100, +0.1, * or 0.1~0.2)");
  }

  private ScriptAction action() throws ScriptException, NotSupported {
    Token t = in.tok();
    if (t.isPunct('<') || t.isPunct('>')) return packets.packetSpec();
    if (t.is(Kind.BACK_QUOTED)) return command();
    if (t.is(Kind.CODE)) {
      in.take();
      return new CodeBlock(t.pos(), t.text());
    }
    if (t.is(Kind.ELLIPSIS) || t.is(Kind.WORD)) return syscalls.syscallSpec();
    throw in.expected("a packet ('<' or '>'), a system call, a `shell command` or a %{ }% block");
  }
}
