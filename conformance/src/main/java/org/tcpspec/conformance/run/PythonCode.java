package org.tcpspec.conformance.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.script.Pos;

/**
 * The {@code %{ }%} blocks of a script, run as packetdrill's code.c runs them: at each block's
 * time the tcp_info and SO_MEMINFO counters of the socket under test are taken; when the script has run to its end (after
 * the cleanup command), one python3 program runs every block in order, each after assignments of
 * packetdrill's constants and of every {@code tcpi_*} field as it was at that block's time. An
 * exception names the block as packetdrill's preamble does ({@code file:line: error in Python
 * code} and the traceback); the run fails when python3 exits with a status other than 0.
 */
final class PythonCode {

  /** The command packetdrill runs the program with (its --code_command default). */
  static final String COMMAND = "python3";

  /** How long the program may run. */
  private static final long TIMEOUT_SECONDS = 120;

  /** code.c's python_preamble: an exception hook that names the block. */
  private static final String PREAMBLE = """
      import sys
      import traceback
      def excepthook(etype, value, tb):
        sys.stderr.write("%s:%d: error in Python code\\n" %
                         (_file, _line))
        traceback.print_exception(etype, value, tb)

      sys.excepthook = excepthook

      """;

  /** The constants code.c's write_symbols emits before each tcp_info, in its order. */
  static final List<String> CONSTANTS = List.of(
      "TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1", "TCP_FIN_WAIT2",
      "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK", "TCP_LISTEN", "TCP_CLOSING",
      "TCP_CA_Open", "TCP_CA_Disorder", "TCP_CA_CWR", "TCP_CA_Recovery", "TCP_CA_Loss",
      "TCPI_OPT_TIMESTAMPS", "TCPI_OPT_SACK", "TCPI_OPT_WSCALE", "TCPI_OPT_ECN",
      "TCPI_OPT_ECN_SEEN", "TCPI_OPT_SYN_DATA", "TCPI_OPT_USEC_TS", "TCPI_OPT_TFO_CHILD");

  /**
   * The names code.c's write_so_meminfo gives the SO_MEMINFO counters, in the kernel's order
   * (include/uapi/linux/sock_diag.h).
   */
  static final List<String> SK_MEMINFO = List.of(
      "SK_MEMINFO_RMEM_ALLOC", "SK_MEMINFO_RCVBUF", "SK_MEMINFO_WMEM_ALLOC", "SK_MEMINFO_SNDBUF",
      "SK_MEMINFO_FWD_ALLOC", "SK_MEMINFO_WMEM_QUEUED", "SK_MEMINFO_OPTMEM", "SK_MEMINFO_BACKLOG",
      "SK_MEMINFO_DROPS");

  private final StringBuilder program = new StringBuilder(PREAMBLE);
  private boolean empty = true;

  /** Whether python3 runs here; empty when it does, else why not. */
  static Optional<String> whyUnavailable() {
    return Availability.REASON;
  }

  /** Looked up once: whether {@code python3 --version} runs. */
  private static final class Availability {
    static final Optional<String> REASON = probe();

    private static Optional<String> probe() {
      try {
        Process p = new ProcessBuilder(COMMAND, "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return Optional.empty();
        return Optional.of("python3 not installed");
      } catch (IOException e) {
        return Optional.of("python3 not installed");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("python3 not installed");
      }
    }
  }

  /**
   * Adds a block as it stands at its time: {@code info} of the socket under test and its
   * SO_MEMINFO counters (when the system under test has them), then the text. {@code at} is the
   * event's place ({@code _file} and {@code _line} of the error message).
   */
  void add(Pos at, TcpInfo info, Optional<long[]> meminfo, String text) {
    for (String name : CONSTANTS) {
      long value = Symbol.byName(name).orElseThrow(
          () -> new IllegalStateException("abi.Symbol lacks " + name)).value();
      assign(name, value);
    }
    info.fields().forEach(this::assign);
    meminfo.ifPresent(m -> {
      for (int i = 0; i < Math.min(m.length, SK_MEMINFO.size()); i++) assign(SK_MEMINFO.get(i), m[i]);
    });
    program.append('\n');
    program.append("_file = '").append(at.file().replace("\\", "\\\\").replace("'", "\\'")).append("'\n");
    program.append("_line = ").append(at.line()).append('\n');
    program.append(text).append("\n\n");
    empty = false;
  }

  private void assign(String name, long value) {
    program.append(name).append(" = ").append(Long.toUnsignedString(value)).append('\n');
  }

  boolean isEmpty() {
    return empty;
  }

  /** The program as it would run, for {@code --verbose}. */
  String program() {
    return program.toString();
  }

  /**
   * Runs the program in {@code directory}; empty when python3 exits with 0, else the failure:
   * python's error output, then packetdrill's line for it.
   */
  Optional<String> execute(String scriptFile, Path directory) throws IOException, InterruptedException {
    if (empty) return Optional.empty();
    Path file = Files.createTempFile("code_", ".py");
    try {
      Files.writeString(file, program, StandardCharsets.UTF_8);
      Process p = new ProcessBuilder(COMMAND, file.toString())
          .directory(directory.toFile())
          .redirectErrorStream(true)
          .start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of(scriptFile + ": error executing code: '" + COMMAND + "' did not finish in "
            + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() == 0) return Optional.empty();
      return Optional.of(output.strip() + "\n" + scriptFile + ": error executing code: '" + COMMAND
          + "' returned non-zero status " + p.exitValue());
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
