package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.tcpspec.abi.Symbol.AF_INET;
import static org.tcpspec.abi.Symbol.IFF_RUNNING;
import static org.tcpspec.abi.Symbol.IFF_UP;
import static org.tcpspec.abi.Symbol.O_CLOEXEC;
import static org.tcpspec.abi.Symbol.RTF_UP;
import static org.tcpspec.abi.Symbol.SIOCADDRT;
import static org.tcpspec.abi.Symbol.SIOCGIFFLAGS;
import static org.tcpspec.abi.Symbol.SIOCSIFADDR;
import static org.tcpspec.abi.Symbol.SIOCSIFFLAGS;
import static org.tcpspec.abi.Symbol.SIOCSIFMTU;
import static org.tcpspec.abi.Symbol.SIOCSIFNETMASK;
import static org.tcpspec.abi.Symbol.SIOCSIFTXQLEN;
import static org.tcpspec.abi.Symbol.SOCK_DGRAM;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.tcpspec.abi.SysResult;

/**
 * Interface configuration through the classic netdevice(7) ioctls on an AF_INET datagram socket,
 * which acts on the network namespace the socket was created in. Every method must therefore run on
 * a thread that has joined the namespace ({@link Netns#call}); {@link Netns} is the public face.
 *
 * <p>struct ifreq is 40 bytes on 64-bit Linux: a 16-byte name, then a 24-byte union read as a
 * struct sockaddr (addresses), a short (flags) or an int (mtu, qlen).
 */
final class InterfaceControl {
  private InterfaceControl() {}

  static final int IFNAMSIZ = 16;
  static final long IFREQ_SIZE = 40;
  private static final long IFR_UNION = 16;


  /** struct rtentry on 64-bit Linux (glibc net/route.h): 120 bytes. */
  private static final long RTENTRY_SIZE = 120;

  private static final long RT_DST = 8;
  private static final long RT_GENMASK = 40;
  private static final long RT_FLAGS = 56;
  private static final long RT_DEV = 88;

  /** A struct ifreq with {@code name} filled in. */
  static MemorySegment ifreq(Arena arena, String name) {
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length == 0 || bytes.length >= IFNAMSIZ) {
      throw new IllegalArgumentException("interface name must be 1..15 ASCII bytes: " + name);
    }
    MemorySegment ifr = arena.allocate(IFREQ_SIZE, 8);
    MemorySegment.copy(MemorySegment.ofArray(bytes), 0, ifr, 0, bytes.length);
    return ifr;
  }

  /** The NUL-terminated name in an ifreq (the kernel fills it in for templates like "tun%d"). */
  static String name(MemorySegment ifr) {
    return ifr.getString(0, StandardCharsets.US_ASCII);
  }

  static void setMtu(String ifname, int mtu) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ifr = ifreq(arena, ifname);
      ifr.set(JAVA_INT, IFR_UNION, mtu);
      ioctl(SIOCSIFMTU.value(), ifr, "SIOCSIFMTU " + ifname + " " + mtu);
    }
  }

  static void setTxQueueLength(String ifname, int length) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ifr = ifreq(arena, ifname);
      ifr.set(JAVA_INT, IFR_UNION, length);
      ioctl(SIOCSIFTXQLEN.value(), ifr, "SIOCSIFTXQLEN " + ifname + " " + length);
    }
  }

  /** Sets address then netmask: SIOCSIFADDR alone would give the classful default mask. */
  static void setAddress(String ifname, Ipv4Cidr cidr) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ifr = ifreq(arena, ifname);
      new SockAddrIn(cidr.address(), 0).write(ifr.asSlice(IFR_UNION));
      ioctl(SIOCSIFADDR.value(), ifr, "SIOCSIFADDR " + ifname + " " + cidr);
      new SockAddrIn(cidr.netmask(), 0).write(ifr.asSlice(IFR_UNION));
      ioctl(SIOCSIFNETMASK.value(), ifr, "SIOCSIFNETMASK " + ifname + " " + cidr);
    }
  }

  /** Reads the flags and sets IFF_UP | IFF_RUNNING. */
  static void setUp(String ifname) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ifr = ifreq(arena, ifname);
      ioctl(SIOCGIFFLAGS.value(), ifr, "SIOCGIFFLAGS " + ifname);
      short flags = ifr.get(JAVA_SHORT, IFR_UNION);
      ifr.set(JAVA_SHORT, IFR_UNION, (short) (flags | IFF_UP.value() | IFF_RUNNING.value()));
      ioctl(SIOCSIFFLAGS.value(), ifr, "SIOCSIFFLAGS " + ifname);
    }
  }

  static short flags(String ifname) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ifr = ifreq(arena, ifname);
      ioctl(SIOCGIFFLAGS.value(), ifr, "SIOCGIFFLAGS " + ifname);
      return ifr.get(JAVA_SHORT, IFR_UNION);
    }
  }

  /** A direct route to {@code destination} out of {@code ifname} (SIOCADDRT, no gateway). */
  static void addRoute(Ipv4Cidr destination, String ifname) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment rt = arena.allocate(RTENTRY_SIZE, 8);
      new SockAddrIn(destination.network(), 0).write(rt.asSlice(RT_DST));
      new SockAddrIn(destination.netmask(), 0).write(rt.asSlice(RT_GENMASK));
      rt.set(JAVA_SHORT, RT_FLAGS, (short) RTF_UP.value());
      rt.set(ADDRESS, RT_DEV, arena.allocateFrom(ifname));
      ioctl(SIOCADDRT.value(), rt, "SIOCADDRT " + destination + " dev " + ifname);
    }
  }

  private static void ioctl(long request, MemorySegment arg, String what) throws IOException {
    SysResult<Void> sock = LibcSockets.socket(AF_INET.value(), SOCK_DGRAM.value() | O_CLOEXEC.value(), 0);
    if (sock.failed())
      throw new IOException("socket(AF_INET, SOCK_DGRAM) for " + what + ": " + sock);
    try {
      SysResult<Void> r = LibcSockets.ioctl(sock.intValue(), request, arg);
      if (r.failed()) throw new IOException(what + ": " + r);
    } finally {
      LibcFiles.close(sock.intValue());
    }
  }
}
