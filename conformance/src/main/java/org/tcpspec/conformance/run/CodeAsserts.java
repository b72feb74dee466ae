package org.tcpspec.conformance.run;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.script.CodeBlock;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Pos;

/**
 * The part of packetdrill's {@code %{ }%} Python blocks that conformance scripts use: lines
 * {@code assert tcpi_<field> <op> <value>[, message]} checked against the tcp_info of the socket
 * the script used last. Any other Python is reported as unsupported.
 */
final class CodeAsserts {
  private CodeAsserts() {}

  private static final Pattern ASSERT = Pattern.compile(
      "assert\\s+(tcpi_\\w+)\\s*(==|!=|<=|>=|<|>)\\s*(-?\\w+)\\s*(,.*)?");

  static void check(CodeBlock block, Interpreter in) throws ScriptFailure {
    String[] lines = block.text().split("\n");
    TcpInfo info = null;
    for (int k = 0; k < lines.length; k++) {
      String line = lines[k].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      Matcher m = ASSERT.matcher(line);
      if (!m.matches()) throw ScriptFailure.unsupported("python in %{ }%: " + line);
      if (info == null) {
        info = in.sut().tcpInfo(in.lastLiveFd).orElseThrow(
            () -> ScriptFailure.unsupported("tcp_info on " + in.sut().name()));
      }
      Pos pos = new Pos(block.pos().file(), block.pos().line() + k, 1);
      Long actual = info.fields().get(m.group(1));
      if (actual == null) throw ScriptFailure.unsupported("tcp_info field " + m.group(1));
      long expected = Syscalls.value(in, literal(pos, m.group(3)));
      boolean ok = switch (m.group(2)) {
        case "==" -> actual == expected;
        case "!=" -> actual != expected;
        case "<" -> actual < expected;
        case "<=" -> actual <= expected;
        case ">" -> actual > expected;
        default -> actual >= expected;
      };
      if (!ok) {
        throw ScriptFailure.fail(pos, m.group(1) + ": expected " + m.group(2) + " " + m.group(3)
            + " vs actual " + actual);
      }
    }
  }

  private static Expr literal(Pos pos, String text) {
    try {
      return new Expr.Int(pos, Long.decode(text));
    } catch (NumberFormatException e) {
      return new Expr.Word(pos, text);
    }
  }
}
