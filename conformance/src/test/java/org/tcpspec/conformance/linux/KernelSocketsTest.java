package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpspec.device.linux.Errno;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.SockAddrIn;
import org.tcpspec.device.linux.SyscallResult;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.device.linux.TunDevice;
import org.tcpspec.wire.ParseResult;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentParser;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * Kernel sockets against a script-played remote side, each test in its own namespace: the kernel is
 * 192.168.0.1 on tun0, the remote side 192.0.2.1 exists only as packets we write to the TUN.
 */
class KernelSocketsTest {
  @BeforeAll
  static void namespacesPossible() {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
  }

  private static final int LOCAL = 0xC0A80001; // 192.168.0.1
  private static final int REMOTE = 0xC0000201; // 192.0.2.1
  private static final long SECOND = 1_000_000_000L;
  private static final int POLLOUT = 0x4;

  private Netns ns;
  private TunDevice tun;
  private KernelSockets sockets;

  @BeforeEach
  void setUp() throws Exception {
    ns = Netns.create("socktest");
    tun = TunDevice.open(ns, TunConfig.packetdrill());
    sockets = new KernelSockets(ns);
  }

  @AfterEach
  void tearDown() {
    sockets.close();
    tun.close();
    ns.close();
  }

  @Test
  void nonBlockingConnectHandshakesThroughTheTun() throws Exception {
    int fd =
        sockets
            .socket(
                KernelSockets.AF_INET, KernelSockets.SOCK_STREAM | KernelSockets.SOCK_NONBLOCK, 0)
            .intValue();
    SyscallResult connect = sockets.connect(fd, SockAddrIn.of("192.0.2.1", 8080));
    assertEquals("EINPROGRESS", connect.errnoName(), connect.toString());

    Segment syn = await(s -> s.flags() == TcpFlags.SYN);
    assertEquals(LOCAL, syn.srcAddr());
    assertEquals(REMOTE, syn.dstAddr());
    assertEquals(8080, syn.dstPort());
    assertEquals(Optional.of(new TcpOption.Mss(1460)), syn.option(TcpOption.Mss.class));
    assertEquals("SYN-SENT", sockets.tcpInfo(fd).value().stateName());

    inject(
        new Segment(
            REMOTE,
            LOCAL,
            8080,
            syn.srcPort(),
            5000,
            syn.seq() + 1,
            TcpFlags.SYN | TcpFlags.ACK,
            65535,
            0,
            List.of(new TcpOption.Mss(1000)),
            new byte[0]));
    Segment ack = await(s -> s.flags() == TcpFlags.ACK);
    assertEquals(syn.seq() + 1, ack.seq());
    assertEquals(5001, ack.ack());

    SyscallOut<List<PollFd>> polled = sockets.poll(List.of(PollFd.of(fd, POLLOUT)), 1000);
    assertEquals(1, polled.result().value());
    assertTrue((polled.value().getFirst().revents() & POLLOUT) != 0, polled.toString());
    assertEquals(
        0, sockets.getsockopt(fd, KernelSockets.SOL_SOCKET, KernelSockets.SO_ERROR).value());
    TcpInfo info = sockets.tcpInfo(fd).value();
    assertEquals("ESTABLISHED", info.stateName());
    assertEquals(1000, info.sndMss());
    assertEquals(SockAddrIn.of("192.0.2.1", 8080), sockets.getpeername(fd).value());

    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    assertEquals(5, sockets.write(fd, hello).value());
    Segment data = await(s -> s.payloadLength() > 0);
    assertArrayEquals(hello, data.payload());
    assertEquals(syn.seq() + 1, data.seq());
  }

  @Test
  void blockingConnectAnsweredByRstIsRefused() throws Exception {
    int fd = sockets.socket(KernelSockets.AF_INET, KernelSockets.SOCK_STREAM, 0).intValue();
    CompletableFuture<SyscallResult> connect = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(() -> connect.complete(sockets.connect(fd, SockAddrIn.of("192.0.2.1", 8080))));
    Segment syn = await(s -> s.has(TcpFlags.SYN));
    inject(
        new Segment(
            REMOTE,
            LOCAL,
            8080,
            syn.srcPort(),
            0,
            syn.seq() + 1,
            TcpFlags.RST | TcpFlags.ACK,
            0,
            0,
            List.of(),
            new byte[0]));
    SyscallResult refused = connect.get(5, TimeUnit.SECONDS);
    assertEquals(Errno.ECONNREFUSED, refused.errno(), refused.toString());
    assertEquals("-1 ECONNREFUSED (Connection refused)", refused.toString());
  }

  @Test
  void secondBindToTheSamePortIsInUse() {
    int first = sockets.socket(KernelSockets.AF_INET, KernelSockets.SOCK_STREAM, 0).intValue();
    int second = sockets.socket(KernelSockets.AF_INET, KernelSockets.SOCK_STREAM, 0).intValue();
    SockAddrIn address = SockAddrIn.of("192.168.0.1", 9000);
    assertTrue(sockets.bind(first, address).succeeded());
    assertEquals(address, sockets.getsockname(first).value());
    SyscallResult again = sockets.bind(second, address);
    assertEquals("EADDRINUSE", again.errnoName(), again.toString());
  }

  @Test
  void listenerAcceptsAHandshakePlayedOnTheTun() throws Exception {
    int listener = sockets.socket(KernelSockets.AF_INET, KernelSockets.SOCK_STREAM, 0).intValue();
    assertTrue(
        sockets
            .setsockopt(listener, KernelSockets.SOL_SOCKET, KernelSockets.SO_REUSEADDR, 1)
            .succeeded());
    assertTrue(sockets.bind(listener, SockAddrIn.of("192.168.0.1", 8080)).succeeded());
    assertTrue(sockets.listen(listener, 1).succeeded());
    assertEquals("LISTEN", sockets.tcpInfo(listener).value().stateName());
    SyscallResult wouldBlock = sockets.setNonBlocking(listener, true);
    assertTrue(wouldBlock.succeeded(), wouldBlock.toString());
    assertEquals("EAGAIN", sockets.accept(listener).result().errnoName());

    inject(
        new Segment(
            REMOTE,
            LOCAL,
            40000,
            8080,
            100,
            0,
            TcpFlags.SYN,
            65535,
            0,
            List.of(new TcpOption.Mss(1460)),
            new byte[0]));
    Segment synAck = await(s -> s.flags() == (TcpFlags.SYN | TcpFlags.ACK));
    assertEquals(101, synAck.ack());
    inject(
        new Segment(
            REMOTE,
            LOCAL,
            40000,
            8080,
            101,
            synAck.seq() + 1,
            TcpFlags.ACK,
            65535,
            0,
            List.of(),
            new byte[0]));
    SyscallOut<List<PollFd>> readable = sockets.poll(List.of(PollFd.of(listener, 0x1)), 2000);
    assertEquals(1, readable.result().value(), readable.toString());

    SyscallOut<SockAddrIn> accepted = sockets.accept4(listener, KernelSockets.SOCK_NONBLOCK);
    assertTrue(accepted.succeeded(), accepted.toString());
    assertEquals(SockAddrIn.of("192.0.2.1", 40000), accepted.value());
    int conn = accepted.result().intValue();
    assertEquals("ESTABLISHED", sockets.tcpInfo(conn).value().stateName());
    assertEquals("EAGAIN", sockets.read(conn, 100).result().errnoName());

    inject(
        new Segment(
            REMOTE,
            LOCAL,
            40000,
            8080,
            101,
            synAck.seq() + 1,
            TcpFlags.PSH | TcpFlags.ACK,
            65535,
            0,
            List.of(),
            "abc".getBytes(StandardCharsets.US_ASCII)));
    sockets.poll(List.of(PollFd.of(conn, 0x1)), 2000);
    assertEquals(3, sockets.ioctlInt(conn, KernelSockets.SIOCINQ).value(), "bytes waiting");
    SyscallOut<byte[]> read = sockets.read(conn, 100);
    assertEquals("abc", new String(read.value(), StandardCharsets.US_ASCII));
    assertEquals(3, read.result().value());
  }

  @Test
  void socketOptionsRoundTripAsTheKernelStoresThem() {
    int fd = sockets.socket(KernelSockets.AF_INET, KernelSockets.SOCK_STREAM, 0).intValue();
    assertEquals(
        0, sockets.getsockopt(fd, KernelSockets.SOL_SOCKET, KernelSockets.SO_REUSEADDR).value());
    sockets.setsockopt(fd, KernelSockets.SOL_SOCKET, KernelSockets.SO_REUSEADDR, 1);
    assertEquals(
        1, sockets.getsockopt(fd, KernelSockets.SOL_SOCKET, KernelSockets.SO_REUSEADDR).value());
    sockets.setsockopt(fd, KernelSockets.SOL_SOCKET, KernelSockets.SO_RCVBUF, 8192);
    assertEquals(
        16384,
        sockets.getsockopt(fd, KernelSockets.SOL_SOCKET, KernelSockets.SO_RCVBUF).value(),
        "Linux doubles the value set (socket(7))");
    sockets.setsockopt(fd, KernelSockets.SOL_SOCKET, KernelSockets.SO_KEEPALIVE, 1);
    assertEquals(
        1, sockets.getsockopt(fd, KernelSockets.SOL_SOCKET, KernelSockets.SO_KEEPALIVE).value());
    sockets.setsockopt(fd, KernelSockets.IPPROTO_TCP, KernelSockets.TCP_NODELAY, 1);
    assertEquals(
        1, sockets.getsockopt(fd, KernelSockets.IPPROTO_TCP, KernelSockets.TCP_NODELAY).value());
    sockets.setsockopt(fd, KernelSockets.IPPROTO_TCP, KernelSockets.TCP_MAXSEG, 1200);
    assertEquals(
        1200, sockets.getsockopt(fd, KernelSockets.IPPROTO_TCP, KernelSockets.TCP_MAXSEG).value());

    assertTrue(sockets.setLinger(fd, new Linger(true, 5)).succeeded());
    assertEquals(new Linger(true, 5), sockets.getLinger(fd).value());

    assertTrue(sockets.setCongestion(fd, "reno").succeeded());
    assertEquals("reno", sockets.getCongestion(fd).value());
    SyscallResult unknown = sockets.setCongestion(fd, "nosuchcc");
    assertEquals("ENOENT", unknown.errnoName(), unknown.toString());

    SyscallResult flags = sockets.fcntl(fd, 3, 0);
    assertEquals(0, flags.value() & 0x800, "blocking by default");
    sockets.setNonBlocking(fd, true);
    assertEquals(0x800, sockets.fcntl(fd, 3, 0).value() & 0x800);
    TcpInfo closed = sockets.tcpInfo(fd).value();
    assertEquals("CLOSED", closed.stateName());
    assertTrue(closed.length() >= 104, "at least the fields up to tcpi_total_retrans");
    assertEquals(
        closed.length() >= TcpInfo.knownSize(),
        closed.fields().containsKey("tcpi_options2"),
        "the last known field is decoded exactly when the kernel returns it");
  }

  @Test
  void failuresAreResultsWithTheKernelsErrno() {
    assertEquals(
        "EBADF",
        sockets
            .getsockopt(12345, KernelSockets.SOL_SOCKET, KernelSockets.SO_ERROR)
            .result()
            .errnoName());
    assertEquals("EBADF", sockets.close(12345).errnoName());
    assertEquals("EAFNOSUPPORT", sockets.socket(12345, KernelSockets.SOCK_STREAM, 0).errnoName());
    int fd = sockets.socket(KernelSockets.AF_INET, KernelSockets.SOCK_STREAM, 0).intValue();
    assertEquals("ENOTCONN", sockets.shutdown(fd, KernelSockets.SHUT_WR).errnoName());
    assertEquals("ENOTCONN", sockets.getpeername(fd).result().errnoName());
    SyscallResult unreachable = sockets.connect(fd, SockAddrIn.of("203.0.113.1", 80));
    assertEquals("ENETUNREACH", unreachable.errnoName(), "no route leaves the namespace");
  }

  @Test
  void closeReleasesEveryDescriptorItMade() {
    sockets.socket(KernelSockets.AF_INET, KernelSockets.SOCK_STREAM, 0);
    int closedByHand =
        sockets.socket(KernelSockets.AF_INET, KernelSockets.SOCK_STREAM, 0).intValue();
    sockets.close(closedByHand);
    assertEquals(1, sockets.openDescriptors().size());
    sockets.close();
    assertTrue(sockets.openDescriptors().isEmpty());
  }

  @Test
  void closeWakesACallBlockedInAccept() throws Exception {
    int listener = sockets.socket(KernelSockets.AF_INET, KernelSockets.SOCK_STREAM, 0).intValue();
    sockets.bind(listener, SockAddrIn.of("192.168.0.1", 8081));
    sockets.listen(listener, 1);
    CompletableFuture<SyscallOut<SockAddrIn>> accept = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> accept.complete(sockets.accept(listener)));
    Thread.sleep(100);
    assertFalse(accept.isDone(), "accept blocks while no connection arrives");
    sockets.close();
    assertEquals("EINVAL", accept.get(2, TimeUnit.SECONDS).result().errnoName());
  }

  private void inject(Segment s) throws Exception {
    tun.transmit(SegmentEmitter.emit(s));
  }

  /** The next TCP segment the kernel sent that matches; other packets are skipped. */
  private Segment await(Predicate<Segment> wanted) throws Exception {
    long deadline = System.nanoTime() + 3 * SECOND;
    while (System.nanoTime() < deadline) {
      Optional<byte[]> p = tun.readPacket(deadline - System.nanoTime());
      if (p.isEmpty()) break;
      if (SegmentParser.parse(p.get(), 0, p.get().length)
              instanceof ParseResult.Parsed(Segment s, var ip)
          && wanted.test(s)) {
        return s;
      }
    }
    throw new AssertionError("no matching segment from the kernel on " + tun);
  }
}
