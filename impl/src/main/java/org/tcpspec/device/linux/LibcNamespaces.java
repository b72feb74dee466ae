package org.tcpspec.device.linux;

import static org.tcpspec.device.linux.LibcLinker.STATE;
import static org.tcpspec.device.linux.LibcLinker.downcall;
import static org.tcpspec.device.linux.LibcLinker.linkFailure;
import static org.tcpspec.device.linux.LibcLinker.ptr;
import static org.tcpspec.device.linux.LibcLinker.result;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.tcpspec.abi.SysResult;

/**
 * The libc calls behind {@link Netns}: setns(2) to join a namespace, unshare(2) to make one, and
 * mount(2) and umount2(2) for the bind mounts under /run/netns that name them. Each returns a
 * {@link SysResult}, errno captured right after the call, and never throws on a failing call
 * ({@link LibcLinker} links them).
 */
public final class LibcNamespaces {
  private LibcNamespaces() {}

  private static final MethodHandle SETNS = downcall("setns", 2);
  private static final MethodHandle UNSHARE = downcall("unshare", 1);
  private static final MethodHandle MOUNT = downcall("mount", 5);
  private static final MethodHandle UMOUNT2 = downcall("umount2", 2);

  /** setns(2): moves the calling thread into the namespace {@code fd} refers to. */
  public static SysResult<Void> setns(int fd, int nstype) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) SETNS.invokeExact(st, (long) fd, (long) nstype), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /**
   * unshare(2). With CLONE_NEWNET it moves only the calling thread into a new network namespace
   * (a thread's namespaces are its own, so a multi-threaded process may do this).
   */
  public static SysResult<Void> unshare(int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) UNSHARE.invokeExact(st, (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /**
   * mount(2) without filesystem data; an empty {@code source} or {@code type} is passed as "",
   * as mount(8) passes it for propagation changes ({@code mount --make-shared}).
   */
  public static SysResult<Void> mount(String source, String target, String type, long flags) {
    MemorySegment st = STATE.get();
    try (Arena arena = Arena.ofConfined()) {
      return result((int) (long) MOUNT.invokeExact(st, ptr(arena.allocateFrom(source)), ptr(arena.allocateFrom(target)), ptr(arena.allocateFrom(type)), (long) flags, 0L), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /** umount2(2). */
  public static SysResult<Void> umount2(String target, int flags) {
    MemorySegment st = STATE.get();
    try (Arena arena = Arena.ofConfined()) {
      return result((int) (long) UMOUNT2.invokeExact(st, ptr(arena.allocateFrom(target)), (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }
}
