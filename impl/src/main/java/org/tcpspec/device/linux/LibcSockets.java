package org.tcpspec.device.linux;

import static org.tcpspec.device.linux.LibcLinker.STATE;
import static org.tcpspec.device.linux.LibcLinker.downcall;
import static org.tcpspec.device.linux.LibcLinker.linkFailure;
import static org.tcpspec.device.linux.LibcLinker.ptr;
import static org.tcpspec.device.linux.LibcLinker.result;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import org.tcpspec.abi.SysResult;

/**
 * The libc calls on sockets, from socket(2) to getsockopt(2), and ioctl(2), which tcpspec uses for
 * interface control (struct ifreq, struct rtentry; {@link InterfaceControl}) and the TUN device's
 * setup. A socket lives in the network namespace of the thread that made it ({@link Netns#call}).
 * Each returns a {@link SysResult}, errno captured right after the call, and never throws on a
 * failing call ({@link LibcLinker} links them); pointers are {@link MemorySegment}s the caller
 * allocated.
 */
public final class LibcSockets {
  private LibcSockets() {}

  private static final MethodHandle IOCTL = downcall("ioctl", 3, Linker.Option.firstVariadicArg(2));
  private static final MethodHandle SOCKET = downcall("socket", 3);
  private static final MethodHandle BIND = downcall("bind", 3);
  private static final MethodHandle CONNECT = downcall("connect", 3);
  private static final MethodHandle LISTEN = downcall("listen", 2);
  private static final MethodHandle ACCEPT4 = downcall("accept4", 4);
  private static final MethodHandle GETSOCKNAME = downcall("getsockname", 3);
  private static final MethodHandle GETPEERNAME = downcall("getpeername", 3);
  private static final MethodHandle SEND = downcall("send", 4);
  private static final MethodHandle RECV = downcall("recv", 4);
  private static final MethodHandle RECVMSG = downcall("recvmsg", 3);
  private static final MethodHandle SHUTDOWN = downcall("shutdown", 2);
  private static final MethodHandle SETSOCKOPT = downcall("setsockopt", 5);
  private static final MethodHandle GETSOCKOPT = downcall("getsockopt", 5);
  private static final MethodHandle SENDTO = downcall("sendto", 6);
  private static final MethodHandle SENDMSG = downcall("sendmsg", 3);

  /** ioctl(2) whose third argument is a pointer (struct ifreq, struct rtentry, int*). */
  public static SysResult<Void> ioctl(int fd, long request, MemorySegment arg) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) IOCTL.invokeExact(st, (long) fd, (long) request, ptr(arg)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(arg);
    }
  }

  /** socket(2). The socket lives in the network namespace of the calling thread. */
  public static SysResult<Void> socket(int domain, int type, int protocol) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) SOCKET.invokeExact(st, (long) domain, (long) type, (long) protocol), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  public static SysResult<Void> bind(int fd, MemorySegment addr, int addrLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) BIND.invokeExact(st, (long) fd, ptr(addr), (long) addrLen), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(addr);
    }
  }

  public static SysResult<Void> connect(int fd, MemorySegment addr, int addrLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) CONNECT.invokeExact(st, (long) fd, ptr(addr), (long) addrLen), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(addr);
    }
  }

  public static SysResult<Void> listen(int fd, int backlog) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) LISTEN.invokeExact(st, (long) fd, (long) backlog), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /** accept4(2); {@code addr}/{@code addrLen} may be {@link MemorySegment#NULL}. */
  public static SysResult<Void> accept4(
      int fd, MemorySegment addr, MemorySegment addrLen, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) ACCEPT4.invokeExact(st, (long) fd, ptr(addr), ptr(addrLen), (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(addr);
      Reference.reachabilityFence(addrLen);
    }
  }

  public static SysResult<Void> getsockname(int fd, MemorySegment addr, MemorySegment addrLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) GETSOCKNAME.invokeExact(st, (long) fd, ptr(addr), ptr(addrLen)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(addr);
      Reference.reachabilityFence(addrLen);
    }
  }

  public static SysResult<Void> getpeername(int fd, MemorySegment addr, MemorySegment addrLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) GETPEERNAME.invokeExact(st, (long) fd, ptr(addr), ptr(addrLen)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(addr);
      Reference.reachabilityFence(addrLen);
    }
  }

  public static SysResult<Void> send(int fd, MemorySegment buf, long len, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((long) SEND.invokeExact(st, (long) fd, ptr(buf), (long) len, (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(buf);
    }
  }

  public static SysResult<Void> recv(int fd, MemorySegment buf, long len, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((long) RECV.invokeExact(st, (long) fd, ptr(buf), (long) len, (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(buf);
    }
  }

  /** recvmsg(2); {@code msghdr} is a struct msghdr the caller laid out (56 bytes on x86-64). */
  public static SysResult<Void> recvmsg(int fd, MemorySegment msghdr, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((long) RECVMSG.invokeExact(st, (long) fd, ptr(msghdr), (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(msghdr);
    }
  }

  public static SysResult<Void> shutdown(int fd, int how) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) SHUTDOWN.invokeExact(st, (long) fd, (long) how), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  public static SysResult<Void> setsockopt(
      int fd, int level, int name, MemorySegment value, int valueLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) SETSOCKOPT.invokeExact(st, (long) fd, (long) level, (long) name, ptr(value), (long) valueLen), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(value);
    }
  }

  /** getsockopt(2); {@code valueLen} points to a socklen_t (int) in and out. */
  public static SysResult<Void> getsockopt(
      int fd, int level, int name, MemorySegment value, MemorySegment valueLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) GETSOCKOPT.invokeExact(st, (long) fd, (long) level, (long) name, ptr(value), ptr(valueLen)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(value);
      Reference.reachabilityFence(valueLen);
    }
  }

  /** sendto(2); {@code addr} is a sockaddr of {@code addrLen} bytes, or NULL. */
  public static SysResult<Void> sendto(
      int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
    MemorySegment st = STATE.get();
    try {
      return result((long) SENDTO.invokeExact(st, (long) fd, ptr(buf), (long) len, (long) flags, ptr(addr), (long) addrLen), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(buf);
      Reference.reachabilityFence(addr);
    }
  }

  /** sendmsg(2); {@code msghdr} is a struct msghdr the caller laid out (56 bytes on x86-64). */
  public static SysResult<Void> sendmsg(int fd, MemorySegment msghdr, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((long) SENDMSG.invokeExact(st, (long) fd, ptr(msghdr), (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(msghdr);
    }
  }
}
