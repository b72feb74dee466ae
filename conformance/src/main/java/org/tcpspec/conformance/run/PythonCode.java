package org.tcpspec.conformance.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.profile.PhaseProfile;
import org.tcpspec.conformance.script.Pos;

/**
 * The {@code %{ }%} blocks of a script, run as packetdrill's code.c runs them: at each block's
 * time the tcp_info and SO_MEMINFO counters of the socket under test are taken; when the script has
 * run to its end (after the cleanup command), one python3 program runs every block in order, each
 * after assignments of packetdrill's constants and of every {@code tcpi_*} field as it was at that
 * block's time. An exception names the block as packetdrill's preamble does ({@code file:line:
 * error in Python code} and the traceback); the run fails when python3 exits with a status other
 * than 0.
 *
 * <p>A block's event keeps only what it took ({@link #add}); the program's text is written at the
 * end. Written at the event, the text (24 symbol lookups, ~70 fields formatted, their first
 * lambdas and string concatenations linked in the first script of a JVM) delayed the event after
 * it: in google/packetdrill's fastopen/client/syn-data-only-syn-acked.pkt the ACK due at {@code +0}
 * after a block was judged 5.8 ms late.
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

  /** What {@link #CONSTANTS} assign, written once: the same before every block. */
  private static final String CONSTANT_ASSIGNMENTS = constantAssignments();

  /** A block with what was taken at its time; its text in the program is written at the end. */
  private record Block(Pos at, TcpInfo info, Optional<long[]> meminfo, String text) {}

  private final List<Block> blocks = new ArrayList<>();

  /** Whether python3 runs here; empty when it does, else why not. */
  static Optional<String> whyUnavailable() {
    return Availability.REASON;
  }

  /**
   * Looked up once: whether a file {@code python3} that may be executed is on the PATH, where
   * ProcessBuilder looks for it. Not by running {@code python3 --version}: through a pyenv shim
   * that took 0.35 to 0.5 s on the first script with a block of every {@code tcpspec run}. A
   * python3 found that then does not run fails the script with its exit status, as it fails real
   * packetdrill's.
   */
  private static final class Availability {
    static final Optional<String> REASON = onPath(System.getenv("PATH"))
        ? Optional.empty() : Optional.of("python3 not installed");
  }

  /** Whether {@link #COMMAND} is an executable file in one of {@code path}'s folders. */
  static boolean onPath(String path) {
    if (path == null) return false;
    for (String dir : path.split(":", -1)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, COMMAND);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return true;
    }
    return false;
  }

  /**
   * Adds a block as it stands at its time: {@code info} of the socket under test and its
   * SO_MEMINFO counters (when the system under test has them), then the text. {@code at} is the
   * event's place ({@code _file} and {@code _line} of the error message). Only kept here: the
   * event's time is the script's.
   */
  void add(Pos at, TcpInfo info, Optional<long[]> meminfo, String text) {
    blocks.add(new Block(at, info, meminfo, text));
  }

  boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** The program as it runs (and as {@code --verbose} shows it). */
  String program() {
    StringBuilder program = new StringBuilder(PREAMBLE);
    for (Block b : blocks) {
      program.append(CONSTANT_ASSIGNMENTS);
      b.info().fields().forEach((name, value) -> assign(program, name, value));
      if (b.meminfo().isPresent()) {
        long[] m = b.meminfo().get();
        for (int i = 0; i < Math.min(m.length, SK_MEMINFO.size()); i++) assign(program, SK_MEMINFO.get(i), m[i]);
      }
      program.append('\n');
      program.append("_file = '").append(b.at().file().replace("\\", "\\\\").replace("'", "\\'")).append("'\n");
      program.append("_line = ").append(b.at().line()).append('\n');
      program.append(b.text()).append("\n\n");
    }
    return program.toString();
  }

  private static String constantAssignments() {
    StringBuilder text = new StringBuilder();
    for (String name : CONSTANTS) {
      long value = Symbol.byName(name).orElseThrow(
          () -> new IllegalStateException("abi.Symbol lacks " + name)).value();
      assign(text, name, value);
    }
    return text.toString();
  }

  private static void assign(StringBuilder program, String name, long value) {
    program.append(name).append(" = ").append(Long.toUnsignedString(value)).append('\n');
  }

  /**
   * Whether running the program can only succeed: every block is blank, so it only assigns numbers.
   * packetdrill would start python3 for it all the same; tcpspec does not (the JVM's warm-up plays
   * such a block to have the code event's path compiled without starting python3 twice).
   */
  boolean onlyBlankBlocks() {
    return blocks.stream().allMatch(b -> b.text().isBlank());
  }

  /**
   * Runs the program in {@code directory}; empty when python3 exits with 0, else the failure:
   * python's error output, then packetdrill's line for it.
   */
  Optional<String> execute(String scriptFile, Path directory) throws IOException, InterruptedException {
    if (onlyBlankBlocks()) return Optional.empty();
    PhaseProfile.Phase phase = PhaseProfile.begin("python3 program");
    Path file = programFile();
    try {
      Files.writeString(file, program(), StandardCharsets.UTF_8);
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
      phase.end();
    }
  }

  private static final AtomicLong FILES = new AtomicLong();

  /**
   * A new file for the program, {@code code_PID_N.py} in the temporary folder, made with O_EXCL as
   * mkstemp makes packetdrill's {@code /tmp/code_XXXXXX}. Not Files.createTempFile: its random name
   * seeds a SecureRandom, 0.1 s of the first script with a block of each JVM.
   */
  private static Path programFile() throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    long pid = ProcessHandle.current().pid();
    while (true) {
      Path file = dir.resolve("code_" + pid + "_" + FILES.incrementAndGet() + ".py");
      try {
        Files.newByteChannel(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return file;
      } catch (FileAlreadyExistsException taken) {
        // Left by an earlier process with this pid: take the next number.
      }
    }
  }
}
