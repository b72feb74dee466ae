package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tcpspec.conformance.linux.NamespaceShell;
import org.tcpspec.device.linux.Netns;

/**
 * Where the java system under test runs a script's shell lines: a network namespace with a TUN
 * device named tun0 at the run's MTU, as the linux system under test has (so {@code tc qdisc ...
 * dev tun0} in google/packetdrill's defaults.sh works). The lines run through the same {@link
 * NamespaceShell} as on the linux system under test (one parent process per cell, PACKETDRILL_PID,
 * the script's folder); after each, the namespace's net.ipv4.* and net.core.* sysctls are read back and those
 * the line changed are returned, whether it set them with {@code sysctl} or by writing to
 * /proc/sys (the selftests' set_sysctls.py), for the stack's configuration to follow; so is
 * tun0's MTU after a line that names one (the selftests' {@code ip link set dev tun0 mtu 9000}).
 *
 * <p>Making and deleting a namespace for each cell took more time than putting one back (measured
 * in conformance/README.md), and nearly every script has a shell line, so a cell {@link #take}s one
 * from a per-process pool, one per cell played at once, and {@link #release}s it at its end. Release puts the namespace back as it was made: every writable sysctl under
 * /proc/sys/net (all per namespace) that differs from the one read at creation is written back,
 * queueing disciplines on tun0 are deleted (the kernel then attaches the default one again) and
 * its MTU is set back when they differ, and
 * the result is verified against the creation state: the sysctls read again, and {@code ip}/{@code
 * tc}'s view of links, addresses, routes, rules, neighbours and qdiscs compared as text. A
 * namespace that differs after that, or still has a process in it (a line's background job), or
 * whose reset fails is deleted instead: a cell never sees an earlier cell's settings. Pooled
 * namespaces are {@link Netns} ones named as before (tcpspec-javashell-PID-N), deleted at exit
 * (also on Ctrl-C) by Netns's shutdown hook; after a SIGKILL what is left is at most one per cell
 * that was played at once, found and removed as Netns describes. Files under /proc/sys outside
 * net.* belong to the whole machine, not to the namespace, as with a namespace per cell.
 */
final class SysctlNamespace {
  /** Idle namespaces, each as it was made; the last returned is taken first. */
  private static final Deque<SysctlNamespace> IDLE = new ConcurrentLinkedDeque<>();

  /**
   * Set when the JVM starts shutting down (Ctrl-C, SIGTERM). Netns's hook then deletes the
   * namespaces it knows, but one still being made, for a cell that goes on running meanwhile, is
   * not among them yet, and the JVM halts once the hooks return: this hook therefore waits for
   * such a namespace to be made and deleted by {@link #createUnlessExiting}. Guarded by {@link
   * #CREATING}.
   */
  private static boolean shuttingDown;
  /** The lock of {@link #shuttingDown} and {@link #creating}. */
  private static final Object CREATING = new Object();
  /** Namespaces being made now. */
  private static int creating;
  /** How long the exiting JVM waits for them: a namespace is made in a tenth of a second. */
  private static final long MAX_CREATION_NANOS = 10_000_000_000L;

  static {
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
      synchronized (CREATING) {
        shuttingDown = true;
        long deadline = System.nanoTime() + MAX_CREATION_NANOS;
        try {
          while (creating > 0 && System.nanoTime() < deadline) {
            CREATING.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }));
  }

  private static final Path PROC_SYS = Path.of("/proc/sys");
  /** Links, addresses, routes, rules, neighbours and qdiscs, one ip process for the first five. */
  private static final String DEVICE_STATE =
      "printf 'link\\naddr\\nroute show table all\\nrule\\nneigh\\n' | ip -o -batch - && tc qdisc show";

  private final Netns ns;
  /** The state at creation: every net.* sysctl and {@link #DEVICE_STATE}'s output. */
  private final State created;
  /** The sysctls under /proc/sys/net that can be written, of those readable at creation. */
  private final Set<String> writable;
  /** The current cell's shell; null while idle. */
  private NamespaceShell shell;
  /** The sysctls as last read. */
  private Map<String, String> sysctls;

  /** Every net.* sysctl as {@code sysctl -a} shows it, and {@link #DEVICE_STATE}'s output. */
  private record State(Map<String, String> sysctls, String devices) {}

  private SysctlNamespace(Netns ns) throws IOException {
    this.ns = ns;
    check(ns.exec(List.of("sh", "-c", "ip link set lo up && ip tuntap add dev tun0 mode tun && ip link set tun0 up")));
    this.created = state();
    // An unset stable_secret cannot be read: not here, so setting it changes the key set.
    this.writable = onThread(SysctlNamespace::writableHere).stream()
        .filter(created.sysctls()::containsKey)
        .collect(Collectors.toUnmodifiableSet());
    this.sysctls = created.sysctls();
  }

  /** Why no namespace can be made here (not root, no /dev/net/tun, no iproute2), or empty. */
  static Optional<String> whyUnavailable() {
    return Netns.whyUnavailable();
  }

  /**
   * An idle namespace from the pool, or a new one, with a new shell for the cell and tun0's MTU
   * the run's ({@code --mtu}), as packetdrill's netdev.c sets its own tun0's and the linux system
   * under test its device's (SIOCSIFMTU: {@link Netns#setMtu}, as TunSetup does): a line reading
   * the MTU back ({@code ip link show dev tun0}) sees the run's. The pool's namespaces are made at
   * TUN's 1500; {@link #release} sets another MTU back.
   */
  static SysctlNamespace take(int tun0Mtu) throws IOException {
    SysctlNamespace taken = IDLE.pollFirst();
    if (taken == null) taken = createUnlessExiting();
    try {
      if (tun0Mtu(taken.created.devices()).orElse(-1) != tun0Mtu) taken.ns.setMtu("tun0", tun0Mtu);
      taken.shell = NamespaceShell.start(taken.ns);
    } catch (IOException | RuntimeException e) {
      taken.ns.close();
      throw e;
    }
    return taken;
  }

  /** A new namespace, or an IOException when the JVM is exiting (see {@link #shuttingDown}). */
  private static SysctlNamespace createUnlessExiting() throws IOException {
    synchronized (CREATING) {
      if (shuttingDown) throw new IOException("no shell namespace for the cell: tcpspec is exiting");
      creating++;
    }
    try {
      SysctlNamespace made = create();
      boolean exiting;
      synchronized (CREATING) {
        exiting = shuttingDown;
      }
      if (exiting) {
        made.ns.close();
        throw new IOException("no shell namespace for the cell: tcpspec is exiting");
      }
      return made;
    } finally {
      synchronized (CREATING) {
        creating--;
        CREATING.notifyAll();
      }
    }
  }

  private static SysctlNamespace create() throws IOException {
    Netns ns = Netns.create("javashell");
    try {
      return new SysctlNamespace(ns);
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
  }

  /** The namespace's name, for tests. */
  String name() {
    return ns.name();
  }

  /** Ends the cell: the namespace goes back to the pool as it was made, or is deleted. */
  void release() {
    shell.close();
    shell = null;
    if (resetToCreated()) {
      IDLE.addFirst(this);
    } else {
      ns.close();
    }
  }

  /**
   * Sysctls whose unset state reads as a value that can also be written: Linux shows a namespace
   * without a Fast Open key as the zero key (proc_tcp_fastopen_key), but makes cookies under a random
   * one (tcp_fastopen_init_key_once) until a key is written, the zero key too. A line that writes the
   * zero key therefore reads the same before and after; a line that names such a sysctl counts as
   * setting it to the value it reads afterwards.
   */
  private static final List<String> READ_AS_SET_WHEN_UNSET = List.of("net.ipv4.tcp_fastopen_key");

  /**
   * A line's exit status and output, the sysctls it changed (name to new value), and tun0's MTU
   * after it when the line names an MTU ({@code ip link set dev tun0 mtu 9000}), else empty.
   */
  record Outcome(int exitStatus, String output, Map<String, String> changed, OptionalInt tun0Mtu) {
    Outcome(int exitStatus, String output, Map<String, String> changed) {
      this(exitStatus, output, changed, OptionalInt.empty());
    }
  }

  /** A line that may set a device's MTU; only such a line costs the process that reads tun0's. */
  private static final Pattern NAMES_MTU = Pattern.compile("\\bmtu\\b");
  /** The MTU in {@code ip -o link}'s line of tun0. */
  private static final Pattern TUN0_MTU = Pattern.compile("^\\d+: tun0: .*? mtu (\\d+) ", Pattern.MULTILINE);

  Outcome run(String commandLine, Path directory) throws IOException, InterruptedException {
    return run(commandLine, directory, Map.of());
  }

  /** {@link #run(String, Path)} with {@code environment}'s variables set for the line. */
  Outcome run(String commandLine, Path directory, Map<String, String> environment)
      throws IOException, InterruptedException {
    NamespaceShell.Result r = shell.run(commandLine, directory, environment);
    Map<String, String> after = sysctls("net.ipv4", "net.core");
    Map<String, String> changed = new LinkedHashMap<>();
    after.forEach((name, value) -> {
      if (!value.equals(sysctls.get(name))) changed.put(name, value);
    });
    for (String name : READ_AS_SET_WHEN_UNSET) {
      String leaf = name.substring(name.lastIndexOf('.') + 1);
      if (commandLine.contains(leaf) && after.containsKey(name)) changed.putIfAbsent(name, after.get(name));
    }
    sysctls = after;
    OptionalInt mtu = NAMES_MTU.matcher(commandLine).find()
        ? tun0Mtu(ns.exec(List.of("ip", "-o", "link", "show", "dev", "tun0")).output())
        : OptionalInt.empty();
    return new Outcome(r.exitStatus(), r.output(), changed, mtu);
  }

  /** tun0's MTU in {@code ip -o link} output, if its line is there. */
  static OptionalInt tun0Mtu(String ipLinkOutput) {
    Matcher m = TUN0_MTU.matcher(ipLinkOutput);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  /**
   * Whether the namespace is back as it was made. The last line's read shows which net.ipv4 and
   * net.core sysctls differ, what nearly every script sets: those are written back before the one
   * look at the whole state, so such a cell costs one process. Anything else that differs (another
   * net.* sysctl, a qdisc on tun0) is put back once more and looked at again. False on any failure:
   * the caller then deletes the namespace rather than trust it.
   */
  private boolean resetToCreated() {
    try {
      writeBack(sysctls);
      State now = state();
      if (!now.equals(created)) {
        writeBack(now.sysctls());
        if (!now.devices().equals(created.devices())) {
          // Errors ignored: only what is there can be deleted or set; the look below decides.
          String mtu = tun0Mtu(created.devices()).stream().mapToObj(m -> "; ip link set dev tun0 mtu " + m)
              .findFirst().orElse("");
          ns.exec(List.of("sh", "-c", "for q in root ingress clsact; do tc qdisc del dev tun0 $q; done" + mtu));
        }
        now = state();
      }
      Map<String, String> after = now.sysctls();
      sysctls = after;
      return after.keySet().equals(created.sysctls().keySet())
          && writable.stream().allMatch(name -> created.sysctls().get(name).equals(after.get(name)))
          && now.devices().equals(created.devices())
          && !hasProcesses();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Writes the creation value of each writable sysctl that {@code seen} shows differing. */
  private void writeBack(Map<String, String> seen) throws IOException {
    for (String name : writable) {
      String value = created.sysctls().get(name);
      if (seen.containsKey(name) && !value.equals(seen.get(name))) {
        // /proc/sys/net shows the network namespace of the thread that opens it.
        onThread(() -> Files.writeString(PROC_SYS.resolve(name.replace('.', '/')), value));
      }
    }
  }

  /**
   * The sysctls under these prefixes as {@code sysctl} prints them, values' whitespace made single
   * spaces. Named prefixes, not {@code sysctl -a -r}: that reads all of /proc/sys, twice the time.
   */
  private Map<String, String> sysctls(String... prefixes) throws IOException {
    List<String> command = new ArrayList<>(List.of("sysctl"));
    command.addAll(List.of(prefixes));
    return parse(ns.exec(command).output());
  }

  /** One process: net.* sysctls (read errors, an unset stable_secret, left out) and the device state. */
  private State state() throws IOException {
    String marker = "tcpspec-device-state";
    Netns.ExecResult r = ns.exec(List.of("sh", "-c",
        "sysctl net 2>/dev/null; echo " + marker + " && " + DEVICE_STATE));
    int at = r.output().indexOf(marker + "\n");
    if (r.exitCode() != 0 || at < 0) throw new IOException("reading the state of " + ns.name() + ": " + r);
    return new State(parse(r.output().substring(0, at)), r.output().substring(at));
  }

  private Map<String, String> parse(String sysctlOutput) throws IOException {
    Map<String, String> values = new TreeMap<>();
    for (String line : sysctlOutput.split("\n")) {
      int eq = line.indexOf(" = ");
      if (eq > 0) values.put(line.substring(0, eq).strip(), line.substring(eq + 3).strip().replaceAll("\\s+", " "));
    }
    if (values.isEmpty()) throw new IOException("no sysctls read back in " + ns.name() + ": " + sysctlOutput.strip());
    return values;
  }

  /**
   * The sysctls under /proc/sys/net that can be written, named as {@code sysctl} names them; called
   * on the namespace's thread.
   */
  private static Set<String> writableHere() throws IOException {
    try (Stream<Path> files = Files.walk(PROC_SYS.resolve("net"))) {
      return files.filter(Files::isRegularFile)
          .filter(f -> {
            try {
              return Files.getPosixFilePermissions(f).containsAll(
                  Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            } catch (IOException e) {
              return false;
            }
          })
          .map(f -> PROC_SYS.relativize(f).toString().replace('/', '.'))
          .collect(Collectors.toUnmodifiableSet());
    }
  }

  /**
   * Whether a process lives in the namespace, one a line started in the background: it could change
   * the namespace under a later cell. A process is in it when its /proc/PID/ns/net is the inode
   * that /run/netns/NAME is bound to.
   */
  private boolean hasProcesses() throws IOException {
    String inside = "net:[" + Files.getAttribute(Path.of("/run/netns", ns.name()), "unix:ino") + "]";
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      return processes
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .anyMatch(p -> {
            try {
              return Files.readSymbolicLink(p.resolve("ns/net")).toString().equals(inside);
            } catch (IOException | UnsupportedOperationException gone) {
              return false; // exited meanwhile, or a kernel thread
            }
          });
    }
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T call() throws IOException;
  }

  private <T> T onThread(IoCall<T> task) throws IOException {
    try {
      return ns.call(task::call);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private static void check(Netns.ExecResult r) throws IOException {
    if (r.exitCode() != 0) throw new IOException("setting up the shell namespace failed: " + r.output().strip());
  }
}
