package org.tcpspec.conformance.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tcpspec.device.linux.Netns;

/**
 * The shell lines of one script run as packetdrill runs them: each line with system(3), that is
 * {@code /bin/sh -c LINE} as a child of one process that lives as long as the run, inside the
 * test's namespace, in the script's folder (so {@code ../common/defaults.sh} resolves whatever the
 * current folder of tcpspec), with {@code PACKETDRILL_PID} set to that process's pid
 * (packetdrill.c, set_pid_env). The parent being the same for every line matters: gtests'
 * set_sysctls.py writes {@code /tmp/sysctl_restore_$PACKETDRILL_PID.sh} and a later line runs
 * {@code /tmp/sysctl_restore_${PPID}.sh}. That process is a shell reading the lines on its
 * standard input; a line's output and exit status come back on its standard output, ended by a
 * marker line.
 *
 * <p>The shell has a temporary folder of its own, removed when it closes, and its lines run with
 * {@code NSTAT_HISTORY} naming a file there. iproute2's nstat keeps the counters it last showed in
 * {@code $NSTAT_HISTORY}, else in {@code /tmp/.<uid>.nstat}, one file for every namespace: a cell's
 * {@code nstat} without {@code -a} or {@code -s} (the selftests' tcp_rcv_*.pkt) printed what grew
 * since any cell's last nstat and recorded its own namespace's counters for the next, so cells
 * playing side by side ({@code run -j 2}, a long sleep lent to the next cells) or one after another
 * read each other's counters. A line may still set {@code NSTAT_HISTORY} itself.
 */
public final class NamespaceShell implements AutoCloseable {

  /** How long one line may run before the shell is killed and the line reported. */
  private static final long LINE_TIMEOUT_SECONDS = 120;

  private final Process process;
  private final Writer in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final String marker = "tcpspec-line-done-" + UUID.randomUUID();
  /** The shell's temporary folder: its lines' nstat history. */
  private final Path folder;

  /** Exit status and merged standard output and error of one line. */
  public record Result(int exitStatus, String output) {}

  private NamespaceShell(Process process, Path folder) {
    this.process = process;
    this.folder = folder;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readLines, "namespace-shell-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the shell in {@code netns}. */
  public static NamespaceShell start(Netns netns) throws IOException {
    Path folder = Files.createTempDirectory("tcpspec-shell-");
    ProcessBuilder builder = new ProcessBuilder(List.of("ip", "netns", "exec", netns.name(), "sh"))
        .redirectErrorStream(true);
    builder.environment().put("NSTAT_HISTORY", folder.resolve("nstat-history").toString());
    Process p;
    try {
      p = ThreadPriority.startInheriting(builder);
    } catch (IOException | RuntimeException e) {
      Folders.deleteQuietly(folder);
      throw e;
    }
    NamespaceShell shell = new NamespaceShell(p, folder);
    shell.send("PACKETDRILL_PID=$$; export PACKETDRILL_PID\n");
    return shell;
  }

  /** The file nstat keeps its history in for this shell's lines (removed at {@link #close}). */
  public Path nstatHistory() {
    return folder.resolve("nstat-history");
  }

  private void readLines() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) lines.add(line);
      lines.add(marker + " -1 (the shell exited)");
    } catch (IOException e) {
      lines.add(marker + " -1 " + e);
    }
  }

  private void send(String text) throws IOException {
    in.write(text);
    in.flush();
  }

  /** Runs one command line in {@code directory}, as {@code sh -c}, and waits for it. */
  public Result run(String commandLine, Path directory) throws IOException, InterruptedException {
    return run(commandLine, directory, Map.of());
  }

  /**
   * Runs one command line in {@code directory}, as {@code sh -c} with {@code environment}'s
   * variables set for it alone (the parent shell, and so every line's {@code $PPID}, stays the
   * same), and waits for it.
   */
  public synchronized Result run(String commandLine, Path directory, Map<String, String> environment)
      throws IOException, InterruptedException {
    StringBuilder assignments = new StringBuilder();
    environment.forEach((name, value) -> assignments.append(name).append('=').append(quote(value)).append(' '));
    send("cd -- " + quote(directory.toString()) + " && " + assignments + "sh -c " + quote(commandLine)
        + " </dev/null 2>&1; status=$?; echo; echo \"" + marker + " $status\"\n");
    StringBuilder output = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LINE_TIMEOUT_SECONDS);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        process.destroyForcibly();
        return new Result(-1, output + "(did not finish within " + LINE_TIMEOUT_SECONDS + " s)");
      }
      if (line.startsWith(marker + " ")) {
        String[] parts = line.substring(marker.length() + 1).split(" ", 2);
        // The echo before the marker ended the command's last line; drop that newline.
        String text = output.toString();
        if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
        return new Result(Integer.parseInt(parts[0]), text);
      }
      output.append(line).append('\n');
    }
  }

  /** {@code text} as one single-quoted shell word. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // The shell is killed below either way.
    }
    try {
      if (!process.waitFor(1, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      Folders.deleteQuietly(folder);
    }
  }
}
