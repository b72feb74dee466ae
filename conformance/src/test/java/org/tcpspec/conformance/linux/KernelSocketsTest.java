package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tcpspec.abi.Symbol.AF_INET;
import static org.tcpspec.abi.Symbol.AF_INET6;
import static org.tcpspec.abi.Symbol.F_GETFL;
import static org.tcpspec.abi.Symbol.IPPROTO_TCP;
import static org.tcpspec.abi.Symbol.O_NONBLOCK;
import static org.tcpspec.abi.Symbol.POLLIN;
import static org.tcpspec.abi.Symbol.POLLOUT;
import static org.tcpspec.abi.Symbol.SHUT_WR;
import static org.tcpspec.abi.Symbol.SIOCINQ;
import static org.tcpspec.abi.Symbol.SOCK_NONBLOCK;
import static org.tcpspec.abi.Symbol.SOCK_STREAM;
import static org.tcpspec.abi.Symbol.SOL_SOCKET;
import static org.tcpspec.abi.Symbol.SO_ERROR;
import static org.tcpspec.abi.Symbol.SO_KEEPALIVE;
import static org.tcpspec.abi.Symbol.SO_LINGER;
import static org.tcpspec.abi.Symbol.SO_RCVBUF;
import static org.tcpspec.abi.Symbol.SO_REUSEADDR;
import static org.tcpspec.abi.Symbol.TCP_CLOSE;
import static org.tcpspec.abi.Symbol.TCP_CONGESTION;
import static org.tcpspec.abi.Symbol.TCP_ESTABLISHED;
import static org.tcpspec.abi.Symbol.TCP_LISTEN;
import static org.tcpspec.abi.Symbol.TCP_MAXSEG;
import static org.tcpspec.abi.Symbol.TCP_NODELAY;
import static org.tcpspec.abi.Symbol.TCP_SYN_SENT;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.abi.TcpInfo.Field;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.SockAddr;
import org.tcpspec.device.linux.SockAddrIn;
import org.tcpspec.device.linux.SockAddrIn6;
import org.tcpspec.device.linux.Ipv6Cidr;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.device.linux.TunDevice;
import org.tcpspec.wire.ParseResult;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentParser;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * Kernel sockets against a script-played remote side, each test in its own namespace set up as the
 * linux system under test sets up one: the kernel is 192.168.0.1 on tun0, the remote side 192.0.2.1
 * exists only as packets written to the TUN, and the kernel's packets are read from a {@link
 * PacketTap} on tun0.
 */
class KernelSocketsTest {
  @BeforeAll
  static void namespacesPossible() {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
  }

  private static final int LOCAL = 0xC0A80001; // 192.168.0.1
  private static final int REMOTE = 0xC0000201; // 192.0.2.1
  private static final long SECOND = 1_000_000_000L;

  private Netns ns;
  private TunDevice tun;
  private PacketTap tap;
  private KernelSockets sockets;

  @BeforeEach
  void setUp() throws Exception {
    ns = Netns.create("socktest");
    tun = TunDevice.open(ns, TunConfig.packetdrill());
    tap = PacketTap.open(ns, tun.name());
    sockets = new KernelSockets(ns);
  }

  @AfterEach
  void tearDown() {
    sockets.close();
    tap.close();
    tun.close();
    ns.close();
  }

  /**
   * A thread that joined the namespace creates its sockets there itself (the address it binds
   * exists only in the namespace) and is back in its own namespace when the handle is closed.
   */
  @Test
  void aThreadThatJoinedTheNamespaceCreatesSocketsThereAndGoesBack() throws Exception {
    Path own = Path.of("/proc/thread-self/ns/net");
    String before = Files.readSymbolicLink(own).toString();
    int fd;
    try (KernelSockets.Joined joined = sockets.joinNamespace()) {
      assertFalse(before.equals(Files.readSymbolicLink(own).toString()), "moved into the namespace");
      fd = sockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0).intValue();
    }
    assertEquals(before, Files.readSymbolicLink(own).toString(), "back in its own namespace");
    assertTrue(sockets.bind(fd, SockAddrIn.of("192.168.0.1", 8090)).succeeded(),
        "the socket lives in the namespace, where 192.168.0.1 is local");
  }

  /** A SYN to a port nobody listens on is answered with a RST; the tap stamps both. */
  @Test
  void synToAClosedPortIsAnsweredWithRst() throws Exception {
    long before = realtimeNanos();
    inject(new Segment(REMOTE, LOCAL, 40000, 9, 777, 0, TcpFlags.SYN, 65535, 0, List.of(), new byte[0]));
    Segment rst = await(s -> s.has(TcpFlags.RST));
    assertEquals(TcpFlags.RST | TcpFlags.ACK, rst.flags());
    assertEquals(778, rst.ack());
    assertEquals(40000, rst.dstPort());
    assertTrue(lastStampNanos >= before && lastStampNanos <= realtimeNanos(),
        "the kernel's stamp is CLOCK_REALTIME, between the injection and its receipt");
  }

  @Test
  void nonBlockingConnectHandshakesThroughTheTun() throws Exception {
    int fd =
        sockets
            .socket(AF_INET.value(), SOCK_STREAM.value() | SOCK_NONBLOCK.value(), 0)
            .intValue();
    SysResult<Void> connect = sockets.connect(fd, SockAddrIn.of("192.0.2.1", 8080));
    assertEquals(Errno.EINPROGRESS, connect.errno(), connect.toString());

    Segment syn = await(s -> s.flags() == TcpFlags.SYN);
    assertEquals(LOCAL, syn.srcAddr());
    assertEquals(REMOTE, syn.dstAddr());
    assertEquals(8080, syn.dstPort());
    assertEquals(Optional.of(new TcpOption.Mss(1460)), syn.option(TcpOption.Mss.class));
    assertEquals(TCP_SYN_SENT.value(), tcpInfo(fd).get(Field.STATE));

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

    SysResult<List<PollFd>> polled = sockets.poll(List.of(PollFd.of(fd, POLLOUT.value())), 1000);
    assertEquals(1, polled.value());
    assertTrue((polled.out().orElseThrow().getFirst().revents() & POLLOUT.value()) != 0, polled.toString());
    assertEquals(0, option(fd, SOL_SOCKET.value(), SO_ERROR.value()));
    TcpInfo info = tcpInfo(fd);
    assertEquals(TCP_ESTABLISHED.value(), info.get(Field.STATE));
    assertEquals(1000, info.get(Field.SND_MSS));
    assertEquals(SockAddrIn.of("192.0.2.1", 8080), sockets.getpeername(fd).out().orElseThrow().orElseThrow());

    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    assertEquals(5, sockets.write(fd, hello).value());
    Segment data = await(s -> s.payloadLength() > 0);
    assertArrayEquals(hello, data.payload());
    assertEquals(syn.seq() + 1, data.seq());
  }

  @Test
  void blockingConnectAnsweredByRstIsRefused() throws Exception {
    int fd = sockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0).intValue();
    CompletableFuture<SysResult<Void>> connect = new CompletableFuture<>();
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
    SysResult<Void> refused = connect.get(5, TimeUnit.SECONDS);
    assertEquals(Errno.ECONNREFUSED, refused.errno(), refused.toString());
    assertEquals("-1 ECONNREFUSED (Connection refused)", refused.toString());
  }

  @Test
  void secondBindToTheSamePortIsInUse() {
    int first = sockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0).intValue();
    int second = sockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0).intValue();
    SockAddrIn address = SockAddrIn.of("192.168.0.1", 9000);
    assertTrue(sockets.bind(first, address).succeeded());
    assertEquals(address, sockets.getsockname(first).out().orElseThrow().orElseThrow());
    SysResult<Void> again = sockets.bind(second, address);
    assertEquals(Errno.EADDRINUSE, again.errno(), again.toString());
  }

  @Test
  void listenerAcceptsAHandshakePlayedOnTheTun() throws Exception {
    int listener = sockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0).intValue();
    assertTrue(sockets.setsockopt(listener, SOL_SOCKET.value(), SO_REUSEADDR.value(), 1).succeeded());
    assertTrue(sockets.bind(listener, SockAddrIn.of("192.168.0.1", 8080)).succeeded());
    assertTrue(sockets.listen(listener, 1).succeeded());
    assertEquals(TCP_LISTEN.value(), tcpInfo(listener).get(Field.STATE));
    SysResult<Void> nonBlocking = sockets.setNonBlocking(listener, true);
    assertTrue(nonBlocking.succeeded(), nonBlocking.toString());
    assertEquals(Errno.EAGAIN, sockets.accept(listener).errno());

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
    SysResult<List<PollFd>> readable = sockets.poll(List.of(PollFd.of(listener, POLLIN.value())), 2000);
    assertEquals(1, readable.value(), readable.toString());

    SysResult<Optional<SockAddr>> accepted = sockets.accept4(listener, SOCK_NONBLOCK.value());
    assertTrue(accepted.succeeded(), accepted.toString());
    assertEquals(Optional.of(SockAddrIn.of("192.0.2.1", 40000)), accepted.out().orElseThrow());
    int conn = accepted.intValue();
    assertEquals(TCP_ESTABLISHED.value(), tcpInfo(conn).get(Field.STATE));
    assertEquals(Errno.EAGAIN, sockets.read(conn, 100).errno());

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
    sockets.poll(List.of(PollFd.of(conn, POLLIN.value())), 2000);
    assertEquals(3, sockets.ioctlInt(conn, SIOCINQ.value()).out().orElseThrow(), "bytes waiting");
    SysResult<byte[]> read = sockets.read(conn, 100);
    assertEquals("abc", new String(read.out().orElseThrow(), StandardCharsets.US_ASCII));
    assertEquals(3, read.value());
  }

  @Test
  void socketOptionsRoundTripAsTheKernelStoresThem() {
    int fd = sockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0).intValue();
    int sol = SOL_SOCKET.value();
    int tcp = IPPROTO_TCP.value();
    assertEquals(0, option(fd, sol, SO_REUSEADDR.value()));
    sockets.setsockopt(fd, sol, SO_REUSEADDR.value(), 1);
    assertEquals(1, option(fd, sol, SO_REUSEADDR.value()));
    sockets.setsockopt(fd, sol, SO_RCVBUF.value(), 8192);
    assertEquals(16384, option(fd, sol, SO_RCVBUF.value()), "Linux doubles the value set (socket(7))");
    sockets.setsockopt(fd, sol, SO_KEEPALIVE.value(), 1);
    assertEquals(1, option(fd, sol, SO_KEEPALIVE.value()));
    sockets.setsockopt(fd, tcp, TCP_NODELAY.value(), 1);
    assertEquals(1, option(fd, tcp, TCP_NODELAY.value()));
    sockets.setsockopt(fd, tcp, TCP_MAXSEG.value(), 1200);
    assertEquals(1200, option(fd, tcp, TCP_MAXSEG.value()));

    // struct linger {int l_onoff; int l_linger;} in host order, both ways.
    byte[] linger = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(1).putInt(5).array();
    assertTrue(sockets.setsockopt(fd, sol, SO_LINGER.value(), linger, 8).succeeded());
    assertArrayEquals(linger, sockets.getsockopt(fd, sol, SO_LINGER.value(), 8).out().orElseThrow());

    byte[] reno = "reno".getBytes(StandardCharsets.US_ASCII);
    assertTrue(sockets.setsockopt(fd, tcp, TCP_CONGESTION.value(), reno, reno.length).succeeded());
    assertEquals("reno\0\0\0\0", new String(
        sockets.getsockopt(fd, tcp, TCP_CONGESTION.value(), 8).out().orElseThrow(), StandardCharsets.US_ASCII),
        "the name, NUL-padded to the optlen asked for");
    byte[] unknownName = "nosuchcc".getBytes(StandardCharsets.US_ASCII);
    SysResult<Void> unknown = sockets.setsockopt(fd, tcp, TCP_CONGESTION.value(), unknownName, unknownName.length);
    assertEquals(Errno.ENOENT, unknown.errno(), unknown.toString());
    assertEquals(Errno.EINVAL, sockets.setsockopt(fd, tcp, TCP_NODELAY.value(), new byte[4], 2).errno(),
        "an optlen shorter than an int is passed as given");

    SysResult<Void> flags = sockets.fcntl(fd, F_GETFL.value(), 0);
    assertEquals(0, flags.value() & O_NONBLOCK.value(), "blocking by default");
    sockets.setNonBlocking(fd, true);
    assertEquals(O_NONBLOCK.value(), sockets.fcntl(fd, F_GETFL.value(), 0).value() & O_NONBLOCK.value());
    TcpInfo closed = tcpInfo(fd);
    assertEquals(TCP_CLOSE.value(), closed.get(Field.STATE));
    assertTrue(closed.length() >= 104, "at least the fields up to tcpi_total_retrans");
    assertEquals(closed.length() >= TcpInfo.SIZE, closed.has(Field.ACCECN_OPT_SEEN),
        "the last field is decoded exactly when the kernel returns it");
  }

  @Test
  void failuresAreResultsWithTheKernelsErrno() {
    assertEquals(Errno.EBADF, sockets.getsockopt(12345, SOL_SOCKET.value(), SO_ERROR.value()).errno());
    assertEquals(Errno.EBADF, sockets.close(12345).errno());
    assertEquals(Errno.EAFNOSUPPORT, sockets.socket(12345, SOCK_STREAM.value(), 0).errno());
    int fd = sockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0).intValue();
    assertEquals(Errno.ENOTCONN, sockets.shutdown(fd, SHUT_WR.value()).errno());
    assertEquals(Errno.ENOTCONN, sockets.getpeername(fd).errno());
    SysResult<Void> unreachable = sockets.connect(fd, SockAddrIn.of("203.0.113.1", 80));
    assertEquals(Errno.ENETUNREACH, unreachable.errno(), "no route leaves the namespace");
  }

  @Test
  void closeReleasesEveryDescriptorItMade() {
    sockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0);
    int closedByHand = sockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0).intValue();
    sockets.close(closedByHand);
    assertEquals(1, sockets.openDescriptors().size());
    sockets.close();
    assertTrue(sockets.openDescriptors().isEmpty());
  }

  @Test
  void closeWakesACallBlockedInAccept() throws Exception {
    int listener = sockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0).intValue();
    sockets.bind(listener, SockAddrIn.of("192.168.0.1", 8081));
    sockets.listen(listener, 1);
    CompletableFuture<SysResult<Optional<SockAddr>>> accept = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> accept.complete(sockets.accept(listener)));
    Thread.sleep(100);
    assertFalse(accept.isDone(), "accept blocks while no connection arrives");
    sockets.close();
    assertEquals(Errno.EINVAL, accept.get(2, TimeUnit.SECONDS).errno());
  }

  private int option(int fd, int level, int name) {
    return sockets.getsockopt(fd, level, name).out().orElseThrow();
  }

  private TcpInfo tcpInfo(int fd) {
    return sockets.tcpInfo(fd).out().orElseThrow();
  }

  /**
   * Issue 14: AF_INET6 sockets with sockaddr_in6 both ways. An IPv6 listener bound to its address
   * accepts an IPv6 peer and reports it, and itself, as sockaddr_in6; an AF_INET6 socket bound to
   * the IPv4-mapped form of the IPv4 address accepts an IPv4 peer and reports it mapped.
   */
  @Test
  void anIpv6ListenerAcceptsAndNamesItsPeerInSockaddrIn6() throws Exception {
    IpAddress local6 = IpAddress.parse("fd3d:fa7b:d17d::1");
    IpAddress remote6 = IpAddress.parse("2001:db8::1");
    try (Netns ns6 = Netns.create("socktest6");
        TunDevice tun6 = TunDevice.open(ns6, TunConfig.packetdrill().withMtu(1500)
            .withIpv6(new Ipv6Cidr(local6, 48)).withIpv6Routes(List.of(Ipv6Cidr.parse("2001:db8::1/32"))));
        KernelSockets sockets6 = new KernelSockets(ns6)) {
      int listener = sockets6.socket(AF_INET6.value(), SOCK_STREAM.value(), 0).intValue();
      assertTrue(sockets6.bind(listener, new SockAddrIn6(local6, 8080)).succeeded());
      assertEquals(Optional.of(new SockAddrIn6(local6, 8080)), sockets6.getsockname(listener).out().orElseThrow());
      assertTrue(sockets6.listen(listener, 1).succeeded());
      Segment syn = new Segment(remote6, local6, 40000, 8080, 100, 0, TcpFlags.SYN, 65535, 0, List.of(), new byte[0]);
      tun6.transmit(SegmentEmitter.emit(syn));
      Segment synAck = null;
      long deadline = System.nanoTime() + 3 * SECOND;
      while (synAck == null && System.nanoTime() < deadline) {
        byte[] packet = tun6.readPacket(deadline - System.nanoTime()).orElseThrow();
        if (SegmentParser.parse(packet, 0, packet.length) instanceof ParseResult.Parsed(Segment s, var ip)
            && s.srcIp().equals(local6) && s.has(TcpFlags.SYN)) {
          synAck = s;
        }
      }
      assertTrue(synAck != null && synAck.isIpv6(), "the kernel answers in IPv6");
      tun6.transmit(SegmentEmitter.emit(new Segment(remote6, local6, 40000, 8080, 101, synAck.seq() + 1, TcpFlags.ACK,
          65535, 0, List.of(), new byte[0])));
      sockets6.poll(List.of(PollFd.of(listener, POLLIN.value())), 2000);
      SysResult<Optional<SockAddr>> accepted = sockets6.accept4(listener, SOCK_NONBLOCK.value());
      assertTrue(accepted.succeeded(), accepted.toString());
      assertEquals(Optional.of(new SockAddrIn6(remote6, 40000)), accepted.out().orElseThrow());
      assertEquals(Optional.of(new SockAddrIn6(remote6, 40000)),
          sockets6.getpeername(accepted.intValue()).out().orElseThrow());
    }
  }

  @Test
  void aDualStackSocketBindsTheMappedAddressAndNamesAnIpv4PeerMapped() throws Exception {
    int listener = sockets.socket(AF_INET6.value(), SOCK_STREAM.value(), 0).intValue();
    SockAddrIn6 mappedLocal = new SockAddrIn6(IpAddress.ipv4(LOCAL), 8080);
    assertTrue(sockets.bind(listener, mappedLocal).succeeded());
    assertEquals(Optional.of(mappedLocal), sockets.getsockname(listener).out().orElseThrow());
    assertTrue(sockets.listen(listener, 1).succeeded());
    inject(new Segment(REMOTE, LOCAL, 40000, 8080, 100, 0, TcpFlags.SYN, 65535, 0, List.of(), new byte[0]));
    Segment synAck = await(s -> s.has(TcpFlags.SYN));
    assertTrue(!synAck.isIpv6(), "IPv4 on the wire");
    inject(new Segment(REMOTE, LOCAL, 40000, 8080, 101, synAck.seq() + 1, TcpFlags.ACK, 65535, 0, List.of(),
        new byte[0]));
    sockets.poll(List.of(PollFd.of(listener, POLLIN.value())), 2000);
    SysResult<Optional<SockAddr>> accepted = sockets.accept4(listener, SOCK_NONBLOCK.value());
    assertTrue(accepted.succeeded(), accepted.toString());
    assertEquals(Optional.of(new SockAddrIn6(IpAddress.ipv4(REMOTE), 40000)), accepted.out().orElseThrow());
  }

  private void inject(Segment s) throws Exception {
    tun.transmit(SegmentEmitter.emit(s));
  }

  private static long realtimeNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** When the tap stamped the segment {@link #await} returned last. */
  private long lastStampNanos;

  /** The next TCP segment the kernel sent that matches, as the tap saw it; others are skipped. */
  private Segment await(Predicate<Segment> wanted) throws Exception {
    long deadline = System.nanoTime() + 3 * SECOND;
    while (System.nanoTime() < deadline) {
      Optional<PacketTap.Stamped> p = tap.receive(deadline - System.nanoTime());
      if (p.isEmpty()) break;
      byte[] packet = p.get().packet();
      if (SegmentParser.parse(packet, 0, packet.length) instanceof ParseResult.Parsed(Segment s, var ip)
          && s.srcAddr() == LOCAL
          && wanted.test(s)) {
        lastStampNanos = p.get().realtimeNanos();
        return s;
      }
    }
    throw new AssertionError("no matching segment from the kernel on " + tun);
  }
}
