package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tcpspec.conformance.run.SystemUnderTest.ShellResult;
import org.tcpspec.stack.Stack;
import org.tcpspec.stack.StackConfig;

/**
 * A script's shell lines for one java cell: the namespace they run in, what of them reaches the
 * stack's configuration, and the notes saying what does not. The namespace and the cell's nstat
 * are made at the first line and given back at {@link #close}.
 */
final class JavaShell implements AutoCloseable {
  private final Stack stack;
  /** The run's {@code --mtu}: the namespace's tun0 has it, as the linux system under test's device. */
  private final int mtu;
  /** Taken from the pool at the first shell line, released at {@link #close}. */
  private SysctlNamespace sysctlNamespace;
  /** The cell's nstat, made at the first shell line, deleted at {@link #close}. */
  private JavaNstat nstat;
  /** {@code config: <what>}: settings the lines made that the stack does not model. */
  private final List<String> notes = new ArrayList<>();

  JavaShell(Stack stack, int mtu) {
    this.stack = stack;
    this.mtu = mtu;
  }

  /**
   * Runs one shell line for the stack. The line runs in a namespace of the cell's own ({@link SysctlNamespace}: pooled, reset between
   * cells), from the current directory, as on the linux system under test; each net.ipv4 /
   * net.core sysctl it changed goes to the stack's {@link StackConfig} when the stack models it, and is noted as
   * {@code config: <sysctl>} when it does not; those Linux keeps only outside namespaces come from
   * the line's text ({@link GlobalSysctls}). A queueing discipline the line installs on tun0
   * (google/packetdrill's fq for pacing, a pfifo that drops everything) never sees the stack's
   * packets, which do not cross a device: noted as {@code config: tc qdisc}. A line that sets tun0's
   * MTU sets the stack's device MTU (the MSS its SYNs and SYN-ACKs advertise, as Linux's advmss
   * follows the route's MTU); tun0 starts at the run's MTU, so a line that only names one keeps
   * it. {@code ip tcp_metrics flush} empties the stack's Fast Open cookie cache, its only TCP
   * metrics. {@code nstat} shows the stack's counters, not the namespace's
   * ({@link JavaNstat}). Where no namespace can be made, a {@code sysctl} line is still applied from
   * its text and any other line fails, saying why.
   */
  ShellResult run(String commandLine, Path directory) throws IOException, InterruptedException {
    Optional<String> why = SysctlNamespace.whyUnavailable();
    if (why.isPresent()) return withoutNamespace(commandLine, why.get());
    if (sysctlNamespace == null) sysctlNamespace = SysctlNamespace.take(mtu);
    if (nstat == null) nstat = JavaNstat.create();
    GlobalSysctls.Split split = GlobalSysctls.split(commandLine);
    SysctlNamespace.Outcome outcome = split.runRest()
        ? sysctlNamespace.run(split.rest(), directory, nstat.before(JavaNstat.counters(stack.mib())))
        : new SysctlNamespace.Outcome(0, "", Map.of());
    if (TC_QDISC.matcher(commandLine).find() && !notes.contains("config: tc qdisc")) notes.add("config: tc qdisc");
    // The kernel's TCP metrics, Fast Open cookies among them, are the stack's own: flush those.
    if (TCP_METRICS_FLUSH.matcher(commandLine).find()) stack.flushTcpMetrics();
    Map<String, String> changes = new LinkedHashMap<>(split.global());
    changes.putAll(outcome.changed());
    StackConfig config = stack.config();
    for (Map.Entry<String, String> changed : changes.entrySet()) {
      Optional<StackConfig> applied = config.withSysctl(changed.getKey(), changed.getValue());
      if (applied.isPresent()) {
        config = applied.get();
      } else if (!notes.contains("config: " + changed.getKey())) {
        notes.add("config: " + changed.getKey());
      }
    }
    if (outcome.tun0Mtu().isPresent()) config = config.withMtu(outcome.tun0Mtu().getAsInt());
    stack.config(config);
    return new ShellResult(outcome.exitStatus(), outcome.output());
  }

  private static final Pattern TCP_METRICS_FLUSH = Pattern.compile("\\bip\\s+tcp_metrics\\s+flush\\b");
  private static final Pattern TC_QDISC = Pattern.compile("\\btc\\s+qdisc\\s+(add|replace|change)\\b");

  private ShellResult withoutNamespace(String commandLine, String why) {
    if (commandLine.strip().startsWith("sysctl ")) {
      List<String> refused = new ArrayList<>();
      StackConfig config = stack.config();
      var m = Pattern.compile("([\\w.]+)=(\"[^\"]*\"|\\S+)").matcher(commandLine);
      while (m.find()) {
        var changed = config.withSysctl(m.group(1), m.group(2));
        if (changed.isPresent()) config = changed.get();
        else refused.add(m.group());
      }
      if (refused.isEmpty()) {
        stack.config(config);
        return new ShellResult(0, "");
      }
      return new ShellResult(1, "the java stack has no sysctl " + String.join(", ", refused));
    }
    return new ShellResult(127, "the java stack runs shell lines in a network namespace, and none can be made"
        + " here: " + why);
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  /** Returns the namespace, if a line took one, to the pool and deletes the cell's nstat folder. */
  @Override
  public void close() {
    if (sysctlNamespace != null) sysctlNamespace.release();
    sysctlNamespace = null; // released once: another cell may hold it now
    if (nstat != null) nstat.close();
    nstat = null;
  }
}
