package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import org.tcpspec.abi.Symbol;

/**
 * A socket address as the kernel takes and returns it (struct sockaddr): {@link SockAddrIn} for
 * AF_INET, {@link SockAddrIn6} for AF_INET6. Writing one fills exactly {@link #size()} bytes; the
 * size is the address length a call passes.
 */
public sealed interface SockAddr permits SockAddrIn, SockAddrIn6 {
  /** sizeof(struct sockaddr_storage): room for any address the kernel may write back. */
  int STORAGE_SIZE = 128;

  /** The bytes of this address in memory, the socklen_t a call passes with it. */
  int size();

  int port();

  /** Writes this address into the first {@link #size()} bytes of {@code into}. */
  void write(MemorySegment into);

  /** A fresh native copy of this address. */
  default MemorySegment allocate(Arena arena) {
    MemorySegment s = arena.allocate(size(), 4);
    write(s);
    return s;
  }

  /**
   * The address the kernel wrote into {@code from} with this length (accept, getsockname,
   * getpeername, recvfrom): by its family; empty for another family or a length too short for it.
   */
  static Optional<SockAddr> read(MemorySegment from, int length) {
    if (length < 2) return Optional.empty();
    int family = from.get(JAVA_SHORT, 0);
    if (family == Symbol.AF_INET.value() && length >= SockAddrIn.SIZE) return Optional.of(SockAddrIn.read(from));
    if (family == Symbol.AF_INET6.value() && length >= SockAddrIn6.SIZE) return Optional.of(SockAddrIn6.read(from));
    return Optional.empty();
  }
}
