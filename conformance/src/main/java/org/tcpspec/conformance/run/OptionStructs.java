package org.tcpspec.conformance.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Syscall;

/**
 * Socket option values that are C structures, written {@code {field=value, ...}}: struct linger
 * (SO_LINGER, {@code {onoff=.., linger=..}}, which packetdrill sets), and beyond packetdrill, which
 * compares only ints and strings, struct timeval (SO_RCVTIMEO, SO_SNDTIMEO, {@code {tv_sec=..,
 * tv_usec=..}}) both ways, struct linger read back, and struct tcp_info read with getsockopt
 * (TCP_INFO, {@code {tcpi_state=TCP_ESTABLISHED, tcpi_snd_mss=1000}}: the fields named are
 * compared, {@code ...} leaves one unchecked). TCP_ZEROCOPY_RECEIVE needs a receive area mapped
 * with mmap and is not made.
 */
final class OptionStructs {
  private OptionStructs() {}

  /** sizeof(struct linger), sizeof(struct timeval) on 64-bit Linux. */
  private static final int LINGER = 8;
  private static final int TIMEVAL = 16;

  /** The size of the structure an option reads, for an optlen written {@code [...]}. */
  static int size(Syscall s, int level, int name) throws ScriptFailure {
    return switch (structure(s, level, name)) {
      case "linger" -> LINGER;
      case "timeval" -> TIMEVAL;
      default -> TcpInfo.SIZE;
    };
  }

  private static String structure(Syscall s, int level, int name) throws ScriptFailure {
    if (level == Symbol.SOL_SOCKET.value() && name == Symbol.SO_LINGER.value()) return "linger";
    if (level == Symbol.SOL_SOCKET.value()
        && (name == Symbol.SO_RCVTIMEO.value() || name == Symbol.SO_SNDTIMEO.value())) {
      return "timeval";
    }
    if (level == Symbol.SOL_TCP.value() && name == Symbol.TCP_INFO.value()) return "tcp_info";
    if (level == Symbol.SOL_TCP.value() && name == Symbol.TCP_ZEROCOPY_RECEIVE.value()) {
      throw ScriptFailure.unsupported("getsockopt TCP_ZEROCOPY_RECEIVE (a receive area mapped with mmap)");
    }
    throw ScriptFailure.error(s.pos(), s.name() + ": no structure value is known for option "
        + Symbol.option(level, name).map(Symbol::name).orElse(level + "/" + name)
        + " (structures: SO_LINGER, SO_RCVTIMEO, SO_SNDTIMEO, TCP_INFO)");
  }

  /** A setsockopt structure: a linger or a timeval, told apart by their fields. */
  static Optional<SocketCall.OptValue> value(Interpreter in, Expr.Struct st) throws ScriptFailure {
    Optional<Expr> onoff = CallArgs.field(st, "onoff").or(() -> CallArgs.field(st, "l_onoff"));
    if (onoff.isPresent()) {
      Expr linger = CallArgs.field(st, "linger").or(() -> CallArgs.field(st, "l_linger"))
          .orElseThrow(() -> ScriptFailure.error(st.pos(), "linger: expected {onoff=..., linger=...}"));
      return Optional.of(new SocketCall.OptValue.Linger((int) CallArgs.value(in, onoff.get()), (int) CallArgs.value(in, linger)));
    }
    if (CallArgs.field(st, "tv_sec").isPresent()) {
      return Optional.of(new SocketCall.OptValue.Timeval(
          CallArgs.value(in, CallArgs.required(st, "tv_sec", "timeval")),
          CallArgs.value(in, CallArgs.required(st, "tv_usec", "timeval"))));
    }
    return Optional.empty();
  }

  /** Compares the structure getsockopt wrote with the fields the script names. */
  static void check(Interpreter in, Syscall s, int level, int name, Expr.Struct expected, byte[] live)
      throws ScriptFailure {
    String structure = structure(s, level, name);
    ByteBuffer b = ByteBuffer.wrap(live).order(ByteOrder.nativeOrder());
    TcpInfo info = structure.equals("tcp_info") ? TcpInfo.decode(live, live.length) : null;
    for (Expr item : expected.items()) {
      if (!(item instanceof Expr.Assign a) || !(a.key() instanceof Expr.Word w)) {
        throw ScriptFailure.error(item.pos(), s.name() + ": expected field=value in the " + structure);
      }
      if (a.value() instanceof Expr.Ellipsis) continue;
      long want = CallArgs.value(in, a.value());
      long actual = switch (structure) {
        case "linger" -> switch (w.name()) {
          case "onoff", "l_onoff" -> b.getInt(0);
          case "linger", "l_linger" -> b.getInt(4);
          default -> throw noField(s, structure, w);
        };
        case "timeval" -> switch (w.name()) {
          case "tv_sec" -> b.getLong(0);
          case "tv_usec" -> b.getLong(8);
          default -> throw noField(s, structure, w);
        };
        default -> {
          TcpInfo.Field f = TcpInfo.Field.byCName(w.name()).orElseThrow(() -> noField(s, structure, w));
          if (!info.has(f)) {
            throw ScriptFailure.fail(s.pos(), s.name() + ": " + w.name() + " is beyond the " + info.length() + " bytes returned");
          }
          yield info.get(f);
        }
      };
      if (want != actual) {
        throw ScriptFailure.fail(s.pos(), s.name() + ": " + structure + " " + w.name() + ": expected " + want
            + " vs actual " + actual);
      }
    }
  }

  private static ScriptFailure noField(Syscall s, String structure, Expr.Word w) {
    return ScriptFailure.error(w.pos(), s.name() + ": struct " + structure + " has no field " + w.name());
  }
}
