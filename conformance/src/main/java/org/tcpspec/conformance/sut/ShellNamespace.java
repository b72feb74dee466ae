package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tcpspec.conformance.linux.NamespaceShell;
import org.tcpspec.device.linux.Netns;

/**
 * Where the java system under test runs a script's shell lines: a network namespace made for the
 * run, with a TUN device named tun0 as the linux system under test has (so {@code tc qdisc ... dev
 * tun0} in google/packetdrill's defaults.sh works). Each line runs there from the script's
 * directory as on Linux, by one shell for the whole run ({@link NamespaceShell}: {@code ${PPID}} and
 * {@code PACKETDRILL_PID} are the same for every line, as packetdrill's); then the namespace's net.ipv4.* and net.core.* sysctls are read back and
 * those the line changed are returned, whether it set them with {@code sysctl} or by writing to
 * /proc/sys (the selftests' set_sysctls.py).
 */
final class ShellNamespace implements AutoCloseable {
  private final Netns ns;
  private Map<String, String> sysctls;
  private NamespaceShell shell;

  private ShellNamespace(Netns ns) throws IOException {
    this.ns = ns;
    check(ns.exec(List.of("sh", "-c", "ip link set lo up && ip tuntap add dev tun0 mode tun && ip link set tun0 up")));
    this.sysctls = read();
  }

  /** Why no namespace can be made here (not root, no /dev/net/tun, no iproute2), or empty. */
  static Optional<String> whyUnavailable() {
    return Netns.whyUnavailable();
  }

  static ShellNamespace create() throws IOException {
    Netns ns = Netns.create("javashell");
    try {
      return new ShellNamespace(ns);
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
  }

  /** A line's exit status and output, and the sysctls it changed (name to new value). */
  record Outcome(int exitStatus, String output, Map<String, String> changed) {}

  Outcome run(String commandLine, Path directory) throws IOException {
    if (shell == null) shell = NamespaceShell.start(ns);
    NamespaceShell.Result r;
    try {
      r = shell.run(commandLine, directory);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running a shell line", e);
    }
    Map<String, String> after = read();
    Map<String, String> changed = new LinkedHashMap<>();
    after.forEach((name, value) -> {
      if (!value.equals(sysctls.get(name))) changed.put(name, value);
    });
    sysctls = after;
    return new Outcome(r.exitStatus(), r.output(), changed);
  }

  /** net.ipv4.* and net.core.* as {@code sysctl -a} prints them, values' whitespace made single spaces. */
  private Map<String, String> read() throws IOException {
    Netns.ExecResult r = ns.exec(List.of("sysctl", "-a", "-r", "^net\\.(ipv4|core)\\."));
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : r.output().split("\n")) {
      int eq = line.indexOf(" = ");
      if (eq > 0) values.put(line.substring(0, eq).strip(), line.substring(eq + 3).strip().replaceAll("\\s+", " "));
    }
    if (values.isEmpty()) throw new IOException("no sysctls read back in " + ns.name() + ": " + r.output().strip());
    return values;
  }

  private static void check(Netns.ExecResult r) throws IOException {
    if (r.exitCode() != 0) throw new IOException("setting up the shell namespace failed: " + r.output().strip());
  }

  @Override
  public void close() {
    if (shell != null) shell.close();
    ns.close();
  }
}
