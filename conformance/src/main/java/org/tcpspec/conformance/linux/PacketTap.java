package org.tcpspec.conformance.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.tcpspec.abi.Symbol.AF_PACKET;
import static org.tcpspec.abi.Symbol.ETH_P_ALL;
import static org.tcpspec.abi.Symbol.MSG_DONTWAIT;
import static org.tcpspec.abi.Symbol.POLLIN;
import static org.tcpspec.abi.Symbol.SIOCGIFINDEX;
import static org.tcpspec.abi.Symbol.PACKET_VNET_HDR;
import static org.tcpspec.abi.Symbol.SOCK_RAW;
import static org.tcpspec.abi.Symbol.SOL_PACKET;
import static org.tcpspec.abi.Symbol.SOL_SOCKET;
import static org.tcpspec.abi.Symbol.SO_ATTACH_FILTER;
import static org.tcpspec.abi.Symbol.SO_RCVBUFFORCE;
import static org.tcpspec.abi.Symbol.SO_TIMESTAMPNS;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.profile.EventMarks;
import org.tcpspec.device.linux.LibcFiles;
import org.tcpspec.device.linux.LibcPoll;
import org.tcpspec.device.linux.LibcSockets;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.VirtioNetHeader;

/**
 * A packet socket (AF_PACKET) on one interface of a namespace that hands out every packet the
 * kernel sends out of the interface with the time the kernel stamped it, as packetdrill's sniffer
 * does. Packets written into the device (the script's) are kept out by a socket filter in the
 * kernel: reading each one's copy cost the interpreter's thread 0.1 to 0.16 ms before the kernel's
 * answer to it, on the path whose lag made timers fire a jiffy late (see {@link JiffyEdge}).
 *
 * <p>Why not stamp packets when a reader thread gets them from the TUN device: on this machine (a
 * Firecracker VM with halt-based idle, Linux 6.18) a thread blocked in poll(2) is woken 4 to 15 ms
 * after the packet was queued when its vCPU was idle, so the kernel's immediate replies looked late
 * by more than packetdrill's 4 ms tolerance. The kernel stamps the tap's copy of an outgoing packet
 * in dev_queue_xmit_nit, in the sender's context, so the stamp is the time of transmission whatever
 * the reader's wake-up latency. The stamp is CLOCK_REALTIME (SO_TIMESTAMPNS) and is handed out
 * as it is: a caller that times on that clock (packetdrill's gettimeofday) needs no conversion,
 * which would read two clocks one after the other and be off by any preemption between the reads.
 *
 * <p>On a device with TSO (packetdrill's, {@code TunOffloads.PACKETDRILL}) the tap sees what
 * packetdrill's sniffer sees: the kernel's GSO super-packet whole, one IP header over all its
 * segments, since dev_queue_xmit_nit runs before any segmentation; with a partial TCP checksum,
 * which packetdrill never checks (run_packet.c verify_outbound_live_checksums checks the IP header
 * only). The tap reads each packet behind a virtio-net header (PACKET_VNET_HDR) and completes a
 * partial checksum as the device would, so the packets it hands out verify like any other.
 */
public final class PacketTap implements AutoCloseable {
  /** htons(ETH_P_ALL): a packet socket takes its protocol in network byte order. */
  private static final int ETH_P_ALL_BE = Short.reverseBytes((short) ETH_P_ALL.value()) & 0xFFFF;
  /**
   * The tap is read only while the interpreter waits for a packet, so it must hold what the
   * kernel sends meanwhile (a script's bulk write, packets during a long sleep) without drops.
   */
  private static final int RECEIVE_BUFFER = 16 << 20;

  /** struct msghdr on x86-64 and arm64. */
  private static final long MSG_IOV = 16;
  private static final long MSG_IOVLEN = 24;
  private static final long MSG_CONTROL = 32;
  private static final long MSG_CONTROLLEN = 40;
  private static final long MSGHDR_SIZE = 56;
  /** struct cmsghdr: size_t len, int level, int type, then the data. */
  private static final long CMSG_DATA = 16;
  private static final int CONTROL_SIZE = 64;
  private static final int MAX_PACKET = 65_536;
  private static final int MAX_READ = VirtioNetHeader.SIZE + MAX_PACKET;

  /**
   * The tap's native buffers, freed by the garbage collector once the tap is unreachable. Not a
   * shared arena closed in {@link #close()}: closing one makes the JVM stop every thread for a
   * handshake, and a linux cell of {@code run -j 2} closing its tap held up the other cell's play
   * (a call returned 128 ms late). Only the interpreter's thread reads the tap, and not after close.
   */
  private final Arena arena = Arena.ofAuto();
  private final int fd;
  private final MemorySegment buffer;
  private final MemorySegment iov;
  private final MemorySegment control;
  private final MemorySegment msghdr;
  private final MemorySegment pollFd;
  /** The struct timespec of each wait, written in place. */
  private final MemorySegment timeout;

  private PacketTap(int fd) {
    this.fd = fd;
    this.buffer = arena.allocate(MAX_READ);
    this.iov = arena.allocate(16, 8);
    this.control = arena.allocate(CONTROL_SIZE, 8);
    this.msghdr = arena.allocate(MSGHDR_SIZE, 8);
    this.pollFd = arena.allocate(LibcPoll.POLLFD_SIZE, 4);
    this.timeout = arena.allocate(16, 8);
    iov.set(ADDRESS, 0, buffer);
    iov.set(JAVA_LONG, 8, MAX_READ);
    pollFd.set(JAVA_INT, 0, fd);
    pollFd.set(JAVA_SHORT, 4, (short) POLLIN.value());
  }

  /** A packet and the kernel's time for it, CLOCK_REALTIME in nanoseconds since the epoch. */
  public record Stamped(byte[] packet, long realtimeNanos) {}

  /** Opens a tap on interface {@code ifname} of {@code netns}, stamping in kernel time. */
  public static PacketTap open(Netns netns, String ifname) throws IOException {
    int fd;
    try {
      fd = netns.call(() -> openIn(ifname));
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("packet tap on " + ifname + " in " + netns.name() + ": " + e, e);
    }
    return new PacketTap(fd);
  }

  private static int openIn(String ifname) throws IOException {
    // SOCK_RAW, which PACKET_VNET_HDR needs; a TUN device has no link-layer header to add.
    SysResult<Void> s = LibcSockets.socket(AF_PACKET.value(), SOCK_RAW.value(), ETH_P_ALL_BE);
    if (s.failed()) throw new IOException("socket(AF_PACKET): " + s);
    int fd = s.intValue();
    try (Arena a = Arena.ofConfined()) {
      MemorySegment on = a.allocate(JAVA_INT);
      on.set(JAVA_INT, 0, 1);
      SysResult<Void> r = attachOutgoingFilter(a, fd);
      if (r.failed()) throw new IOException("setsockopt SO_ATTACH_FILTER: " + r);
      r = LibcSockets.setsockopt(fd, SOL_SOCKET.value(), SO_TIMESTAMPNS.value(), on, 4);
      if (r.failed()) throw new IOException("setsockopt SO_TIMESTAMPNS: " + r);
      r = LibcSockets.setsockopt(fd, SOL_PACKET.value(), PACKET_VNET_HDR.value(), on, 4);
      if (r.failed()) throw new IOException("setsockopt PACKET_VNET_HDR: " + r);
      on.set(JAVA_INT, 0, RECEIVE_BUFFER);
      // SO_RCVBUFFORCE: root may exceed net.core.rmem_max.
      r = LibcSockets.setsockopt(fd, SOL_SOCKET.value(), SO_RCVBUFFORCE.value(), on, 4);
      if (r.failed()) throw new IOException("setsockopt SO_RCVBUFFORCE: " + r);
      // struct ifreq: char ifr_name[16], then the union; SIOCGIFINDEX fills an int there.
      MemorySegment ifreq = a.allocate(40, 8);
      byte[] name = ifname.getBytes(StandardCharsets.US_ASCII);
      MemorySegment.copy(name, 0, ifreq, JAVA_BYTE, 0, Math.min(name.length, 15));
      r = LibcSockets.ioctl(fd, SIOCGIFINDEX.value(), ifreq);
      if (r.failed()) throw new IOException("SIOCGIFINDEX " + ifname + ": " + r);
      int ifindex = ifreq.get(JAVA_INT, 16);
      // struct sockaddr_ll: family, protocol (network order), ifindex, hatype, pkttype, halen,
      // addr[8]; binding to one interface keeps other interfaces' packets out.
      MemorySegment sll = a.allocate(20, 4);
      sll.set(JAVA_SHORT, 0, (short) AF_PACKET.value());
      sll.set(JAVA_SHORT, 2, (short) ETH_P_ALL_BE);
      sll.set(JAVA_INT, 4, ifindex);
      r = LibcSockets.bind(fd, sll, 20);
      if (r.failed()) throw new IOException("bind packet socket to " + ifname + ": " + r);
      return fd;
    } catch (IOException | RuntimeException e) {
      LibcFiles.close(fd);
      throw e;
    }
  }

  /** Classic BPF (linux/filter.h): load a word at an absolute offset, jump if equal, return. */
  private static final short BPF_LD_W_ABS = 0x20;
  private static final short BPF_JEQ_K = 0x15;
  private static final short BPF_RET_K = 0x06;
  /** SKF_AD_OFF + SKF_AD_PKTTYPE: the ancillary load of skb->pkt_type. */
  private static final int SKF_PKTTYPE = -0x1000 + 4;
  /** PACKET_OUTGOING (linux/if_packet.h): the tap's copy of a packet the host transmits. */
  private static final int PACKET_OUTGOING = 4;
  /** struct sock_filter: u16 code, u8 jt, u8 jf, u32 k. */
  private static final int SOCK_FILTER_SIZE = 8;
  /** struct sock_fprog: unsigned short len, then (aligned) the pointer to the filters. */
  private static final int SOCK_FPROG_SIZE = 16;

  /**
   * Attaches {@code pkt_type == PACKET_OUTGOING ? accept : drop} (as tcpdump's {@code outbound}
   * compiles) before the socket is bound, so no packet the device delivered to the stack is ever
   * queued on it; the kernel copies the program, so {@code arena} may go.
   */
  private static SysResult<Void> attachOutgoingFilter(Arena arena, int fd) {
    int[][] program = {
        {BPF_LD_W_ABS, 0, 0, SKF_PKTTYPE},
        {BPF_JEQ_K, 0, 1, PACKET_OUTGOING},
        {BPF_RET_K, 0, 0, -1},
        {BPF_RET_K, 0, 0, 0},
    };
    MemorySegment filters = arena.allocate((long) program.length * SOCK_FILTER_SIZE, 8);
    for (int i = 0; i < program.length; i++) {
      long at = (long) i * SOCK_FILTER_SIZE;
      filters.set(JAVA_SHORT, at, (short) program[i][0]);
      filters.set(JAVA_BYTE, at + 2, (byte) program[i][1]);
      filters.set(JAVA_BYTE, at + 3, (byte) program[i][2]);
      filters.set(JAVA_INT, at + 4, program[i][3]);
    }
    MemorySegment fprog = arena.allocate(SOCK_FPROG_SIZE, 8);
    fprog.set(JAVA_SHORT, 0, (short) program.length);
    fprog.set(ADDRESS, 8, filters);
    return LibcSockets.setsockopt(fd, SOL_SOCKET.value(), SO_ATTACH_FILTER.value(), fprog, SOCK_FPROG_SIZE);
  }

  /**
   * Waits at most {@code timeoutNanos} for the next packet; empty when none came. The packet's
   * time is the kernel's stamp (the time of receipt when the kernel sent none). Not thread-safe:
   * one reader at a time.
   */
  public Optional<Stamped> receive(long timeoutNanos) throws IOException {
    long nanos = Math.max(0, timeoutNanos);
    timeout.set(JAVA_LONG, 0, nanos / 1_000_000_000L);
    timeout.set(JAVA_LONG, 8, nanos % 1_000_000_000L);
    // Without an arena and errno capture per wait (LibcPoll.ppollReady); a failure is asked again
    // with its errno.
    int ready = LibcPoll.ppollReady(pollFd, 1, timeout);
    if (ready < 0) {
      SysResult<Void> polled = LibcPoll.ppoll(pollFd, 1, 0);
      if (polled.succeeded() || polled.errno() == Errno.EINTR) return Optional.empty(); // the caller checks for closing
      throw new IOException("ppoll packet tap: " + polled);
    }
    if (ready == 0) return Optional.empty();
    EventMarks.mark("tap: ready");
    msghdr.fill((byte) 0);
    msghdr.set(ADDRESS, MSG_IOV, iov);
    msghdr.set(JAVA_LONG, MSG_IOVLEN, 1);
    msghdr.set(ADDRESS, MSG_CONTROL, control);
    msghdr.set(JAVA_LONG, MSG_CONTROLLEN, CONTROL_SIZE);
    SysResult<Void> n = LibcSockets.recvmsg(fd, msghdr, MSG_DONTWAIT.value());
    if (n.failed()) {
      if (n.errno() == Errno.EAGAIN || n.errno() == Errno.EINTR) return Optional.empty();
      throw new IOException("recvmsg packet tap: " + n);
    }
    if (n.value() < VirtioNetHeader.SIZE) {
      throw new IOException("packet tap: " + n.value() + " bytes, less than a vnet header");
    }
    MemorySegment read = buffer.asSlice(VirtioNetHeader.SIZE, n.value() - VirtioNetHeader.SIZE);
    VirtioNetHeader.read(buffer, 0).completeChecksum(read);
    byte[] packet = read.toArray(JAVA_BYTE);
    long stamp = controlTimestamp(msghdr.get(JAVA_LONG, MSG_CONTROLLEN));
    EventMarks.mark("tap: read");
    if (stamp >= 0) return Optional.of(new Stamped(packet, stamp));
    Instant now = Instant.now();
    return Optional.of(new Stamped(packet, now.getEpochSecond() * 1_000_000_000L + now.getNano()));
  }

  /** The SCM_TIMESTAMPNS stamp in epoch nanoseconds, or -1 when the kernel sent none. */
  private long controlTimestamp(long controlLength) {
    long at = 0;
    while (at + CMSG_DATA <= controlLength) {
      long len = control.get(JAVA_LONG, at);
      int level = control.get(JAVA_INT, at + 8);
      int type = control.get(JAVA_INT, at + 12);
      if (len < CMSG_DATA) return -1;
      if (level == SOL_SOCKET.value() && type == SO_TIMESTAMPNS.value() && len >= CMSG_DATA + 16) {
        return control.get(JAVA_LONG, at + CMSG_DATA) * 1_000_000_000L
            + control.get(JAVA_LONG, at + CMSG_DATA + 8);
      }
      at += (len + 7) & ~7L;
    }
    return -1;
  }

  /** The lifetime of the tap's native buffers; closing the tap leaves them to the GC. */
  MemorySegment.Scope bufferScope() {
    return buffer.scope();
  }

  @Override
  public void close() {
    LibcFiles.close(fd);
  }
}
