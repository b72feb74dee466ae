package org.tcpspec.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tcpspec.device.linux.NetnsClaim;

/**
 * A network namespace the user names on the command line ({@code --netns NAME}), so they can
 * {@code ip netns exec NAME curl ...} into it. {@link #attach} creates it when it does not exist,
 * and then {@link #close()} deletes it again (a JVM shutdown hook does the same on Ctrl-C); a
 * namespace that existed before is left as it was found, minus what we added to it.
 *
 * <p>This class only creates and deletes the named namespace (iproute2); code runs inside it
 * through the platform's {@code Netns.attach}, which joins it by name without owning it.
 */
public final class NamedNamespace implements AutoCloseable {
  private final String name;
  private final boolean created;
  private final Thread hook;
  private boolean closed;
  /** serve's claim on the name ({@link #hold}), given up on close. */
  private NetnsClaim claim;

  private NamedNamespace(String name, boolean created) {
    this.name = name;
    this.created = created;
    this.hook = Thread.ofPlatform().unstarted(this::deleteQuietly);
    if (created) Runtime.getRuntime().addShutdownHook(hook);
  }

  public static boolean exists(String name) {
    return Files.exists(Path.of("/run/netns", name));
  }

  /** Uses namespace {@code name}, creating it (with {@code lo} up) when absent. */
  public static NamedNamespace attach(String name) throws IOException {
    if (exists(name)) return new NamedNamespace(name, false);
    run(List.of("ip", "netns", "add", name));
    NamedNamespace ns = new NamedNamespace(name, true);
    try {
      ns.ip("link", "set", "lo", "up");
      return ns;
    } catch (IOException e) {
      ns.close();
      throw e;
    }
  }

  /**
   * For {@code serve}: namespace {@code name} for this process alone until {@link #close()}. A live
   * tcpspec holding it is refused; what one that died holding it (kill -9) left is removed first,
   * which {@code say} is told in one line. Created when absent, as {@link #attach}.
   */
  public static NamedNamespace hold(String name, Consumer<String> say) throws IOException {
    NetnsClaim.clearStale(name).ifPresent(say);
    Optional<NetnsClaim.Holder> holder = NetnsClaim.holder(name);
    if (holder.isPresent()) {
      throw new IOException("network namespace " + name + " is in use by tcpspec (pid " + holder.get().pid()
          + "); choose another name, or stop that process first");
    }
    NamedNamespace ns = attach(name);
    try {
      ns.claim = NetnsClaim.claim(name, ns.created);
      return ns;
    } catch (IOException e) {
      ns.close();
      throw e;
    }
  }

  /** Runs {@code ip -n NAME args...}, failing with its output when it fails. */
  public void ip(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
    cmd.addAll(List.of(args));
    run(cmd);
  }

  public String name() {
    return name;
  }

  public boolean created() {
    return created;
  }

  /** Deletes the namespace if this object created it; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (!created) {
      if (claim != null) claim.release();
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it deletes the namespace itself.
    }
    deleteQuietly();
  }

  private void deleteQuietly() {
    try {
      if (exists(name)) run(List.of("ip", "netns", "del", name));
    } catch (IOException e) {
      System.err.println("tcpspec: could not delete network namespace " + name + ": " + e.getMessage());
    }
    if (claim != null) claim.release();
  }

  static void run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": timed out");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted running " + String.join(" ", cmd));
    }
  }
}
