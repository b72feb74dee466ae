package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.tcpspec.device.linux.LibcLinker.STATE;
import static org.tcpspec.device.linux.LibcLinker.downcall;
import static org.tcpspec.device.linux.LibcLinker.linkFailure;
import static org.tcpspec.device.linux.LibcLinker.ptr;
import static org.tcpspec.device.linux.LibcLinker.result;
import static org.tcpspec.device.linux.LibcLinker.uncaptured;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;

/**
 * The libc calls that wait on descriptors: poll, ppoll and epoll. Each returns a {@link SysResult},
 * errno captured right after the call, and never throws on a failing call ({@link LibcLinker} links
 * them); pointers are {@link MemorySegment}s the caller allocated. An event loop's wait ({@link
 * #ppollReady}) returns a plain int instead, allocating nothing.
 */
public final class LibcPoll {
  private LibcPoll() {}

  /** The event TunDevice polls for, from the ABI table. */
  public static final short POLLIN = (short) Symbol.POLLIN.value();

  /** struct pollfd: int fd; short events; short revents. */
  public static final long POLLFD_SIZE = 8;

  private static final MethodHandle POLL = downcall("poll", 3);
  private static final MethodHandle PPOLL = downcall("ppoll", 4);
  /** ppoll without errno capture: capturing slices the state segment per call (see {@link #ppollReady}). */
  private static final MethodHandle PPOLL_READY = uncaptured("ppoll", 4);
  private static final MethodHandle EPOLL_CREATE = downcall("epoll_create", 1);
  private static final MethodHandle EPOLL_CTL = downcall("epoll_ctl", 4);
  private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait", 4);

  /**
   * ppoll(2) for a caller that needs no errno: the number of ready descriptors, or -1 when the call
   * failed. Without a result object, an arena or errno capture per call: FFM's capture slices the
   * call-state segment on every call (SharedUtils.checkCaptureSegment), an allocation that only C2's
   * escape analysis removes, and an event loop waits here whenever it is idle. {@code timespec} is
   * the caller's own 16-byte struct timespec (NULL waits forever).
   */
  public static int ppollReady(MemorySegment fds, long nfds, MemorySegment timespec) {
    try {
      return (int) (long) PPOLL_READY.invokeExact(ptr(fds), (long) nfds, ptr(timespec), 0L);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(fds);
      Reference.reachabilityFence(timespec);
    }
  }

  /**
   * poll(2) over {@code nfds} struct pollfd at {@code fds}; timeout in milliseconds, -1 = forever.
   */
  public static SysResult<Void> poll(MemorySegment fds, long nfds, int timeoutMillis) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) POLL.invokeExact(st, ptr(fds), (long) nfds, (long) timeoutMillis), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(fds);
    }
  }

  /** ppoll(2) with a nanosecond timeout (negative = forever) and no signal mask change. */
  public static SysResult<Void> ppoll(MemorySegment fds, long nfds, long timeoutNanos) {
    MemorySegment st = STATE.get();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment timespec = MemorySegment.NULL;
      if (timeoutNanos >= 0) {
        timespec = arena.allocate(16, 8);
        timespec.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        timespec.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
      }
      return result((int) (long) PPOLL.invokeExact(st, ptr(fds), (long) nfds, ptr(timespec), 0L), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(fds);
    }
  }

  public static SysResult<Void> epollCreate(int size) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) EPOLL_CREATE.invokeExact(st, (long) size), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /** epoll_ctl(2); {@code event} is a struct epoll_event (12 bytes, packed on x86-64). */
  public static SysResult<Void> epollCtl(int epfd, int op, int fd, MemorySegment event) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) EPOLL_CTL.invokeExact(st, (long) epfd, (long) op, (long) fd, ptr(event)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(event);
    }
  }

  /** epoll_wait(2) into room for {@code maxEvents} struct epoll_event. */
  public static SysResult<Void> epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) EPOLL_WAIT.invokeExact(st, (long) epfd, ptr(events), (long) maxEvents, (long) timeoutMillis), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(events);
    }
  }
}
