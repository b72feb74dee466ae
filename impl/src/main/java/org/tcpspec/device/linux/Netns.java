package org.tcpspec.device.linux;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;

/**
 * A network namespace created for one run, named {@code tcpspec-<purpose>-<pid>-<counter>} so
 * parallel runs never collide, with {@code lo} up, IPv6 disabled and nothing else. Everything that
 * opens a TUN device or a kernel socket does it through {@link #call}, which runs the code on this
 * namespace's own platform thread; that thread joined the namespace with setns(2), and network
 * namespaces are per thread, so the descriptors it creates belong to the namespace for their whole
 * life and can then be used from any thread.
 *
 * <p>The namespace is made and named as iproute2's {@code ip netns add} makes one, by the same
 * system calls, without starting {@code ip} (a process per namespace, twice per script, was 10 to
 * 100 ms of each; {@link NetnsMounts}): {@code /run/netns} made a shared mount point (so that
 * deleting in one mount namespace deletes in the others that copied it, such as an {@code ip netns
 * exec} shell's), the namespace thread's unshare(2) of CLONE_NEWNET, and a bind mount of that
 * thread's namespace on {@code /run/netns/NAME}. So {@code ip netns} lists, enters and deletes it
 * like any other.
 *
 * <p>{@link #close()} deletes the namespace (umount2 and unlink, as {@code ip netns del}); it is
 * idempotent. Every live namespace is also deleted by a JVM shutdown hook, so Ctrl-C or SIGTERM
 * leaves none behind. SIGKILL cannot be caught: {@link #removeStale} deletes what it left.
 *
 * <p>{@link #attach} joins a namespace that exists already under a name the user chose ({@code ip
 * netns add NAME}): same thread and {@link #call} semantics, but {@link #close()} then only stops
 * the thread and leaves the namespace alone. Who holds such a name is {@link NetnsClaim}'s.
 *
 * <p>Requires root (CAP_SYS_ADMIN and CAP_NET_ADMIN); {@link #exec} needs iproute2's {@code ip}.
 */
public final class Netns implements AutoCloseable {
  private static final Pattern PURPOSE = Pattern.compile("[a-z0-9]{1,24}");
  static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Set<Netns> LIVE = ConcurrentHashMap.newKeySet();

  /** The namespace the current thread has joined, if it is one of our namespace threads. */
  private static final ThreadLocal<String> JOINED = new ThreadLocal<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform().name("tcpspec-netns-cleanup").unstarted(Netns::closeAll));
  }

  private final String name;
  private final boolean owned;
  private final ExecutorService thread;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Open until {@link #close()} is over, for a second caller to wait on. */
  private final CountDownLatch closeDone = new CountDownLatch(1);

  private Netns(String name, boolean owned) {
    this.name = name;
    this.owned = owned;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("netns-" + name).unstarted(r));
  }

  /**
   * Creates {@code tcpspec-<purpose>-<pid>-<counter>}, joins its thread, turns IPv6 off and brings
   * {@code lo} up.
   *
   * @param purpose lower-case letters and digits naming what the namespace is for ("tun", "sut")
   * @throws IOException when a system call fails; nothing is left behind
   */
  public static Netns create(String purpose) throws IOException {
    if (!PURPOSE.matcher(purpose).matches()) {
      throw new IllegalArgumentException("purpose must match " + PURPOSE + ": " + purpose);
    }
    String name =
        "tcpspec-"
            + purpose
            + "-"
            + ProcessHandle.current().pid()
            + "-"
            + COUNTER.incrementAndGet();
    Netns ns = new Netns(name, true);
    // Registered before the namespace exists, so a signal arriving mid-creation still deletes it.
    LIVE.add(ns);
    try {
      if (exists(name)) {
        // Our pid and counter in the name: the process that had this pid before us was killed
        // (SIGKILL) holding it. Nobody else can use it; say so and start afresh.
        delete(name);
        System.err.println("tcpspec: removed stale network namespace " + name
            + ", left by an earlier process with pid " + ProcessHandle.current().pid());
      }
      ns.onOwnThread(
          () -> {
            ns.createHere();
            disableIpv6Here();
            InterfaceControl.setUp("lo");
            return null;
          });
      return ns;
    } catch (IOException | RuntimeException | Error e) {
      ns.closeQuietly(e);
      throw e;
    } catch (Exception e) {
      ns.closeQuietly(e);
      throw new IOException("setting up " + name, e);
    }
  }

  /**
   * Joins the existing namespace {@code /run/netns/NAME} on a thread of its own, for {@link #call}
   * and the interface setters. Nothing in the namespace is changed, and {@link #close()} does not
   * delete it: it was there before us.
   *
   * @throws IOException when there is no such namespace or setns(2) fails
   */
  public static Netns attach(String name) throws IOException {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a namespace name: '" + name + "'");
    }
    if (!exists(name)) throw new IOException("no network namespace " + NetnsMounts.path(name));
    Netns ns = new Netns(name, false);
    try {
      ns.call(() -> null); // joins now, so a failing setns(2) is reported here
      return ns;
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    } catch (Exception e) {
      ns.close();
      throw new IOException("joining " + name, e);
    }
  }

  /**
   * Makes the namespace on the namespace thread, which is then in it ({@link NetnsMounts#add}).
   */
  private void createHere() throws IOException {
    NetnsMounts.add(name);
    JOINED.set(name);
  }

  /** Deletes the namespace named {@code name} ({@link NetnsMounts#delete}, as {@code ip netns del}). */
  static void delete(String name) throws IOException {
    NetnsMounts.delete(name);
  }

  /**
   * Deletes the namespaces that runs killed by SIGKILL left behind ({@link NetnsMounts#removeStale}).
   *
   * @return the names deleted
   */
  public static List<String> removeStale() throws IOException {
    return NetnsMounts.removeStale(ProcessHandle.current().pid());
  }

  /** Whether a namespace of this name exists (its mount point under /run/netns). */
  public static boolean exists(String name) {
    return NetnsMounts.exists(name);
  }

  /**
   * IPv4 only: without this, every interface that comes up sends IPv6 MLD reports and router
   * solicitations, which a packet-level test would have to skip. /proc/sys/net shows the namespace
   * of the thread that opens the file, so this must run on the namespace thread.
   */
  private static void disableIpv6Here() throws IOException {
    for (String conf : List.of("all", "default")) {
      Path knob = Path.of("/proc/sys/net/ipv6/conf", conf, "disable_ipv6");
      if (Files.exists(knob)) Files.writeString(knob, "1");
    }
  }

  /**
   * Why this machine cannot host namespaces for tcpspec, or empty when it can: tried once per JVM
   * by creating and deleting a real one, so the answer covers root, CAP_SYS_ADMIN and /dev/net/tun. Tests use it to skip with a named reason where namespaces are impossible.
   */
  public static Optional<String> whyUnavailable() {
    return Availability.REASON;
  }

  private static final class Availability {
    static final Optional<String> REASON = probe();

    private static Optional<String> probe() {
      if (!"Linux".equals(System.getProperty("os.name"))) {
        return Optional.of(
            "network namespaces need Linux, this is " + System.getProperty("os.name"));
      }
      if (!Files.exists(Path.of("/dev/net/tun"))) return Optional.of("no /dev/net/tun");
      try (Netns probe = create("probe")) {
        return Optional.empty();
      } catch (IOException | RuntimeException e) {
        return Optional.of("cannot create a network namespace (root needed): " + e);
      }
    }
  }

  public String name() {
    return name;
  }

  /**
   * Runs {@code task} on this namespace's platform thread (never a virtual thread) and returns its
   * result; descriptors it opens belong to the namespace. Tasks run one at a time, in order. Called
   * from that thread itself, runs the task directly.
   *
   * @throws Exception whatever the task threw
   */
  public <T> T call(Callable<T> task) throws Exception {
    if (name.equals(JOINED.get())) return task.call();
    if (closed.get()) throw new IllegalStateException("namespace closed: " + name);
    return onOwnThread(
        () -> {
          join();
          return task.call();
        });
  }

  /** Runs {@code task} on the namespace thread as it is, joined or not. */
  private <T> T onOwnThread(Callable<T> task) throws Exception {
    Future<T> result = thread.submit(task);
    try {
      return result.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      if (e.getCause() instanceof Error cause) throw cause;
      throw e;
    } catch (InterruptedException e) {
      result.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for " + name);
    }
  }

  /** Joins the namespace once per thread: setns(2) on the fd of /run/netns/NAME. */
  private void join() throws IOException {
    if (name.equals(JOINED.get())) return;
    SysResult<Void> fd =
        LibcFiles.open(NetnsMounts.path(name).toString(), Symbol.O_RDONLY.value() | Symbol.O_CLOEXEC.value());
    if (fd.failed()) throw new IOException("open /run/netns/" + name + ": " + fd);
    try {
      SysResult<Void> joined = LibcNamespaces.setns(fd.intValue(), Symbol.CLONE_NEWNET.value());
      if (joined.failed()) throw new IOException("setns " + name + ": " + joined);
      JOINED.set(name);
    } finally {
      LibcFiles.close(fd.intValue());
    }
  }

  /**
   * Runs a command inside the namespace ({@code ip netns exec NAME cmd...}), stdout and stderr
   * merged, with a 30 s limit after which the command is killed.
   */
  public ExecResult exec(List<String> command) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(command);
    return run(full, EXEC_TIMEOUT);
  }

  /** Sets the MTU of an interface in this namespace (SIOCSIFMTU). */
  public void setMtu(String ifname, int mtu) throws IOException {
    onThread(() -> InterfaceControl.setMtu(ifname, mtu));
  }

  /** Sets address and netmask of an interface in this namespace (SIOCSIFADDR, SIOCSIFNETMASK). */
  public void setAddress(String ifname, Ipv4Cidr address) throws IOException {
    onThread(() -> InterfaceControl.setAddress(ifname, address));
  }

  /** Sets IFF_UP and IFF_RUNNING on an interface in this namespace (SIOCSIFFLAGS). */
  public void linkUp(String ifname) throws IOException {
    onThread(() -> InterfaceControl.setUp(ifname));
  }

  /** Sets the transmit queue length of an interface in this namespace (SIOCSIFTXQLEN). */
  public void setTxQueueLength(String ifname, int length) throws IOException {
    onThread(() -> InterfaceControl.setTxQueueLength(ifname, length));
  }

  /** Adds a direct route to {@code destination} out of {@code ifname} (SIOCADDRT). */
  public void addRoute(Ipv4Cidr destination, String ifname) throws IOException {
    onThread(() -> InterfaceControl.addRoute(destination, ifname));
  }

  /** Whether the interface has IFF_UP set (SIOCGIFFLAGS). */
  public boolean isUp(String ifname) throws IOException {
    return onThread(() -> (InterfaceControl.flags(ifname) & Symbol.IFF_UP.value()) != 0);
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T call() throws IOException;
  }

  private void onThread(IoAction action) throws IOException {
    onThread(
        () -> {
          action.run();
          return null;
        });
  }

  private <T> T onThread(IoCall<T> action) throws IOException {
    try {
      return call(action::call);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /**
   * Stops the namespace thread and deletes the namespace (an {@link #attach}ed one is kept). Idempotent;
   * a call while another thread's is under way (the shutdown hook's, say) returns when that one is over. Descriptors still open in the
   * namespace keep it alive (unnamed) until they are closed; close them first. Must not be called
   * from inside {@link #call}.
   *
   * @throws UncheckedIOException when the namespace cannot be deleted
   */
  @Override
  public void close() {
    if (name.equals(JOINED.get())) {
      throw new IllegalStateException("close " + name + " from outside its own call()");
    }
    if (!closed.compareAndSet(false, true)) {
      try {
        closeDone.await(EXEC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      closeAndDelete();
    } finally {
      closeDone.countDown();
    }
  }

  private void closeAndDelete() {
    try {
      thread.shutdownNow();
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!owned) return;
    try {
      delete(name);
    } catch (IOException e) {
      throw new UncheckedIOException("deleting network namespace " + name, e);
    } finally {
      LIVE.remove(this);
    }
  }

  private void closeQuietly(Throwable primary) {
    try {
      close();
    } catch (RuntimeException e) {
      primary.addSuppressed(e);
    }
  }

  private static void closeAll() {
    for (Netns ns : List.copyOf(LIVE)) {
      try {
        ns.close();
      } catch (RuntimeException e) {
        System.err.println("tcpspec: could not delete network namespace " + ns.name + ": " + e);
      }
    }
  }

  /** Exit code and merged stdout/stderr of a command. */
  public record ExecResult(int exitCode, String output) {
    @Override
    public String toString() {
      return "exit " + exitCode + (output.isBlank() ? "" : ": " + output.strip());
    }
  }

  static ExecResult run(List<String> command, Duration timeout) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      p.getOutputStream().close();
      // Read on a virtual thread so a command that never exits cannot block us past the timeout.
      Future<String> out;
      try (ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
        out =
            reader.submit(
                () -> new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          p.waitFor();
          return new ExecResult(
              -1, "timed out after " + timeout + ": " + String.join(" ", command));
        }
      }
      return new ExecResult(p.exitValue(), out.get());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted running " + String.join(" ", command));
    } catch (ExecutionException e) {
      throw new IOException("reading output of " + String.join(" ", command), e.getCause());
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
