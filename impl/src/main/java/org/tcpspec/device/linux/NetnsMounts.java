package org.tcpspec.device.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;

/**
 * The names of network namespaces as iproute2 keeps them: a bind mount of a thread's {@code
 * ns/net} on {@code /run/netns/NAME}, with {@code /run/netns} a shared mount point. {@link Netns}
 * makes, joins and deletes its namespaces through these, by the system calls {@code ip netns add}
 * and {@code ip netns del} make (iproute2 ip/ipnetns.c), so {@code ip netns} lists, enters and
 * deletes ours like any other.
 */
final class NetnsMounts {
  private static final Path NETNS_DIR = Path.of("/run/netns");
  /** {@link Netns}'s own names: {@code tcpspec-<purpose>-<pid>-<counter>}. */
  private static final Pattern OURS = Pattern.compile("tcpspec-[a-z0-9]{1,24}-(\\d+)-\\d+");

  /** mount(2) flags and umount2's lazy detach, from linux/mount.h. */
  private static final long MS_BIND = 4096;
  private static final long MS_REC = 16384;
  private static final long MS_SHARED = 1L << 20;
  private static final int MNT_DETACH = 2;

  /** Whether this JVM has made /run/netns a shared mount point. */
  private static boolean runDirShared;

  private NetnsMounts() {}

  /** The mount point of the namespace named {@code name}. */
  static Path path(String name) {
    return NETNS_DIR.resolve(name);
  }

  /** Whether a namespace of this name exists (its mount point under /run/netns). */
  static boolean exists(String name) {
    return Files.exists(path(name));
  }

  /**
   * Makes a namespace named {@code name} for the calling thread, which is then in it, as {@code ip
   * netns add} does (netns_add): the file first, so a name taken is EEXIST before anything else; the
   * bind mount last. /proc/thread-self, not /proc/self: only this thread moved.
   */
  static void add(String name) throws IOException {
    shareRunDir();
    Path file = path(name);
    Files.createFile(file);
    try {
      SysResult<Void> unshared = LibcNamespaces.unshare(Symbol.CLONE_NEWNET.value());
      if (unshared.failed()) throw new IOException("unshare(CLONE_NEWNET) for " + name + ": " + unshared);
      SysResult<Void> bound = LibcNamespaces.mount("/proc/thread-self/ns/net", file.toString(), "none", MS_BIND);
      if (bound.failed()) throw new IOException("mount --bind /proc/thread-self/ns/net " + file + ": " + bound);
    } catch (IOException | RuntimeException e) {
      // The thread may be in the new namespace already; it ends with Netns.close(), and the
      // namespace with it, as nothing else refers to it.
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /**
   * {@code mount --make-shared /run/netns}, after making it a mount point of its own (a bind
   * mount on itself) where it is not one, as iproute2 does before every {@code ip netns add}; once
   * per JVM.
   */
  private static synchronized void shareRunDir() throws IOException {
    if (runDirShared) return;
    Files.createDirectories(NETNS_DIR);
    String dir = NETNS_DIR.toString();
    SysResult<Void> shared = LibcNamespaces.mount("", dir, "none", MS_SHARED | MS_REC);
    if (shared.failed() && shared.errno() == Errno.EINVAL) {
      SysResult<Void> bound = LibcNamespaces.mount(dir, dir, "none", MS_BIND | MS_REC);
      if (bound.failed()) throw new IOException("mount --bind " + dir + " " + dir + ": " + bound);
      shared = LibcNamespaces.mount("", dir, "none", MS_SHARED | MS_REC);
    }
    if (shared.failed()) throw new IOException("mount --make-shared " + dir + ": " + shared);
    runDirShared = true;
  }

  /**
   * Deletes the namespace named {@code name} as {@code ip netns del} does: detaches the bind mount
   * (lazily, so a process still inside keeps it until it leaves) and removes the file. The kernel
   * frees the namespace once nothing refers to it. A file that is not mounted (left by a creation
   * cut short) is removed all the same.
   */
  static void delete(String name) throws IOException {
    Path file = path(name);
    SysResult<Void> detached = LibcNamespaces.umount2(file.toString(), MNT_DETACH);
    if (detached.failed() && detached.errno() != Errno.EINVAL && detached.errno() != Errno.ENOENT) {
      throw new IOException("umount " + file + ": " + detached);
    }
    Files.deleteIfExists(file);
  }

  /**
   * Deletes the namespaces that runs killed by SIGKILL left behind: those named {@code
   * tcpspec-<purpose>-<pid>-<counter>} whose process no longer exists ({@code selfPid}'s are
   * live). Safe only where every tcpspec run shares this JVM's PID namespace (one machine or one
   * container), since a process in another PID namespace looks dead from here.
   *
   * @return the names deleted
   */
  static List<String> removeStale(long selfPid) throws IOException {
    List<String> removed = new ArrayList<>();
    if (!Files.isDirectory(NETNS_DIR)) return removed;
    List<String> names;
    try (var entries = Files.list(NETNS_DIR)) {
      names = entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
    for (String candidate : names) {
      var m = OURS.matcher(candidate);
      if (!m.matches()) continue;
      long pid = Long.parseLong(m.group(1));
      if (pid == selfPid || ProcessHandle.of(pid).isPresent()) continue;
      try {
        delete(candidate);
        removed.add(candidate);
      } catch (IOException e) {
        // Left for the next run, as a namespace some other process still removes.
      }
    }
    return removed;
  }
}
