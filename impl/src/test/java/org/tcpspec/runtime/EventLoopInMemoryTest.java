package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.device.InMemoryLink;
import org.tcpspec.device.InMemoryNativeLink;
import org.tcpspec.device.PacketDevice;
import org.tcpspec.fsm.State;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.Connection;
import org.tcpspec.stack.ConnectionError;
import org.tcpspec.stack.Listener;
import org.tcpspec.stack.Stack;
import org.tcpspec.time.ManualClock;
import org.tcpspec.time.SystemClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.InternetChecksum;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.TcpFlags;

/** The event loop without root: two stacks joined by an in-memory link. */
@Timeout(30)
class EventLoopInMemoryTest {
  private static final int A = 0x0A000001; // 10.0.0.1
  private static final int B = 0x0A000002; // 10.0.0.2

  private static EventLoop loop(PacketDevice device, int addr) {
    Stack stack = new Stack(addr, SystemClock.INSTANCE, TraceSink.NONE, addr);
    return new EventLoop(device, stack, new SocketApi(stack), SystemClock.INSTANCE, line -> {});
  }

  @Test
  void anIdleCycleDoesNoWork() throws Exception {
    try (EventLoop a = loop(new InMemoryLink().a(), A)) {
      assertEquals(0, a.doWork());
    }
  }

  @Test
  void malformedPacketsAndOtherAddressesAreDroppedAndCounted() throws Exception {
    InMemoryLink link = new InMemoryLink();
    try (EventLoop a = loop(link.a(), A)) {
      link.b().transmit(new byte[] {0x45, 0, 0, 3});
      Segment elsewhere = new Segment(B, 0x0A000009, 1000, 80, 1, 0, TcpFlags.SYN, 1000, 0,
          java.util.List.of(), new byte[0]);
      link.b().transmit(SegmentEmitter.emit(elsewhere, Ipv4Params.DEFAULT));
      assertEquals(0, a.doWork(), "dropping is not work");
      assertEquals(2, a.packetsDropped());
      assertEquals(0, a.packetsReceived());
    }
  }

  @Test
  void aSynToAClosedPortIsOneSegmentInAndOneRstOut() throws Exception {
    InMemoryLink link = new InMemoryLink();
    try (EventLoop a = loop(link.a(), A)) {
      Segment syn = new Segment(B, A, 40000, 81, 7, 0, TcpFlags.SYN, 1000, 0, java.util.List.of(), new byte[0]);
      link.b().transmit(SegmentEmitter.emit(syn, Ipv4Params.DEFAULT));
      assertEquals(2, a.doWork(), "one packet received, one transmitted");
      byte[] reply = link.b().receive(0).orElseThrow();
      assertEquals(TcpFlags.RST | TcpFlags.ACK, reply[20 + 13] & 0xFF, "RST,ACK flags byte");
    }
  }

  @Test
  void twoStacksExchangeBytesThroughBlockingSockets() throws Exception {
    InMemoryLink link = new InMemoryLink();
    byte[] data = new byte[300_000];
    new Random(4).nextBytes(data);
    try (EventLoop a = loop(link.a(), A).start();
        EventLoop b = loop(link.b(), B).start();
        ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
      BlockingSockets server = new BlockingSockets(b);
      BlockingSockets client = new BlockingSockets(a);
      int lfd = server.listen(7, 4);
      Future<byte[]> received = vt.submit(() -> {
        int fd = server.accept(lfd);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = server.read(fd, buf, 0, buf.length)) != -1; ) got.write(buf, 0, n);
        server.close(fd);
        return got.toByteArray();
      });
      int fd = client.connect(B, 7);
      client.write(fd, data, 0, data.length);
      client.shutdownOutput(fd);
      assertArrayEquals(data, received.get());
      client.close(fd);
      assertTrue(a.packetsTransmitted() > data.length / 1500);
    }
  }

  /**
   * Stacks A and B on a manual clock, each driven by a loop that the test runs ({@link
   * EventLoop#doWork}), joined by a native link without segmentation offload (a segment is a
   * packet of its own).
   */
  private record NativePair(Stack a, Stack b, EventLoop loopA, EventLoop loopB) {
    NativePair() {
      this(new InMemoryNativeLink(1500, 256, false), new ManualClock(1_000_000_000L));
    }

    private NativePair(InMemoryNativeLink link, ManualClock clock) {
      this(new Stack(A, clock, TraceSink.NONE, 1), new Stack(B, clock, TraceSink.NONE, 2), link, clock);
    }

    private NativePair(Stack a, Stack b, InMemoryNativeLink link, ManualClock clock) {
      this(a, b, new EventLoop(link.a(), a, new SocketApi(a), clock, line -> {}),
          new EventLoop(link.b(), b, new SocketApi(b), clock, line -> {}));
    }
  }

  /**
   * Issue 15: the segments one cycle reads are acknowledged by one ACK, written after the last of
   * them; the ACKs the stack made for the earlier ones (it ACKs every segment at first, Linux's
   * quick ACKs) are redundant and not written. Over a native link without segmentation offload, so
   * each segment is a packet of its own.
   */
  @Test
  void theSegmentsOfOneCycleAreAcknowledgedByOneAck() throws Exception {
    NativePair p = new NativePair();
    Stack a = p.a(), b = p.b();
    EventLoop loopA = p.loopA(), loopB = p.loopB();
    Listener listener = b.listen(80, 1, b.defaultOptions()).orElseThrow();
    Connection sender = a.connect(0, IpAddress.ipv4(B), 80, a.defaultOptions()).orElseThrow();
    while (loopA.doWork() + loopB.doWork() > 0) {
      // the handshake
    }
    Connection receiver = listener.accept().orElseThrow();
    int segment = sender.tcb().sndMss;
    assertEquals(10 * segment, a.write(sender, new byte[10 * segment], 0, 10 * segment));
    loopA.doWork();
    assertEquals(10 * segment, sender.tcb().sndNxt - sender.tcb().sndUna, "ten segments in flight (the initial window)");
    long ackPackets = loopB.packetsTransmitted();
    assertEquals(10 + 1, loopB.doWork(), "ten segments read, one ACK written");
    assertEquals(ackPackets + 1, loopB.packetsTransmitted(), "one ACK for the ten segments");
    loopA.doWork();
    assertEquals(sender.tcb().sndNxt, sender.tcb().sndUna, "and it acknowledged all of them");
    assertEquals(10 * segment, b.read(receiver, new byte[20_000], 0, 20_000));
  }

  /**
   * What the loop queues while an application thread is inside a call is that thread's to write, as
   * it leaves the call (Linux's TCP_TSQ_DEFERRED, run in release_sock); with no thread inside, the
   * loop writes it itself. Here the loop's cycle runs inside a call (the lock is reentrant): the
   * SYN-ACK it makes waits for the call's end, and is written then.
   */
  @Test
  void whatTheLoopQueuesDuringACallIsWrittenAsTheCallEnds() throws Exception {
    NativePair p = new NativePair();
    Stack a = p.a(), b = p.b();
    EventLoop loopA = p.loopA(), loopB = p.loopB();
    b.listen(80, 1, b.defaultOptions()).orElseThrow();
    a.connect(0, IpAddress.ipv4(B), 80, a.defaultOptions()).orElseThrow();
    assertEquals(1, loopA.doWork(), "the SYN, written by the loop: no application thread is inside a call");
    assertEquals(1, loopA.packetsTransmitted());
    long writtenInside = loopB.call(api -> {
      try {
        assertEquals(2, loopB.doWork(), "the loop's cycle inside the call read the SYN and queued the SYN-ACK");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return loopB.packetsTransmitted();
    });
    assertEquals(0, writtenInside, "the loop left the SYN-ACK to the thread inside the call");
    assertEquals(1, loopB.packetsTransmitted(), "which wrote it as the call ended, once");
    assertEquals(2, loopA.doWork(), "the SYN-ACK read, the handshake's ACK written");
  }

  /**
   * A read blocked on one socket is woken when that socket polls readable, not on every cycle in
   * which the loop moved another connection's bytes: while 2 MB cross a second connection, the
   * idle reader's call is retried at most once per {@link EventLoop#MAX_IDLE_NANOS} (its wait's
   * bound) plus a few, far fewer times than the loop had cycles with work.
   */
  @Test
  void aBlockedReadIsNotRetriedForAnotherSocketsProgress() throws Exception {
    InMemoryLink link = new InMemoryLink();
    byte[] data = new byte[2_000_000];
    try (EventLoop a = loop(link.a(), A).start();
        EventLoop b = loop(link.b(), B).start();
        ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
      BlockingSockets server = new BlockingSockets(b);
      BlockingSockets client = new BlockingSockets(a);
      int lfd = server.listen(7, 4);
      int idleClient = client.connect(B, 7);
      int idle = server.accept(lfd);
      int busyClient = client.connect(B, 7);
      int busy = server.accept(lfd);
      java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
      Future<SysResult<Void>> idleRead = threads.submit(() -> b.await(idle, Symbol.POLLIN.value(), api -> {
        attempts.incrementAndGet();
        return api.read(idle, new byte[1], 0, 1);
      }, r -> r.errno() == Errno.EAGAIN, 0));
      long start = System.nanoTime();
      Future<Integer> drained = threads.submit(() -> {
        byte[] buf = new byte[65536];
        int total = 0;
        for (int n; total < data.length && (n = server.read(busy, buf, 0, buf.length)) != -1; ) total += n;
        return total;
      });
      client.write(busyClient, data, 0, data.length);
      assertEquals(data.length, drained.get());
      long elapsedNanos = System.nanoTime() - start;
      int during = attempts.get();
      long cycles = b.packetsReceived();
      client.write(idleClient, new byte[] {42}, 0, 1);
      assertEquals(1, idleRead.get().value(), "the idle socket's byte wakes its reader");
      long bound = elapsedNanos / EventLoop.MAX_IDLE_NANOS + 3;
      assertTrue(cycles > 4 * bound, "the loop received " + cycles + " packets in " + elapsedNanos / 1_000_000 + " ms");
      assertTrue(during <= bound, during + " attempts while the other connection moved " + cycles + " packets in "
          + elapsedNanos / 1_000_000 + " ms");
    }
  }

  @Test
  void aBlockedCallFailsOnceTheLoopIsClosed() throws Exception {
    EventLoop a = loop(new InMemoryLink().a(), A).start();
    BlockingSockets s = new BlockingSockets(a);
    int lfd = s.listen(9, 1);
    try (ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> accept = vt.submit(() -> s.accept(lfd));
      Thread.sleep(50);
      a.close();
      var e = assertThrows(java.util.concurrent.ExecutionException.class, accept::get);
      assertTrue(e.getCause() instanceof ClosedChannelException, e.toString());
    }
  }

  @Test
  void anIcmpPortUnreachableAboutOurSynEndsTheAttemptWithConnectionRefused() throws Exception {
    InMemoryLink link = new InMemoryLink();
    Stack stack = new Stack(A, SystemClock.INSTANCE, TraceSink.NONE, A);
    try (EventLoop a = new EventLoop(link.a(), stack, new SocketApi(stack), SystemClock.INSTANCE, line -> {})) {
      Connection c = stack.connect(0, IpAddress.ipv4(B), 81, stack.defaultOptions()).orElseThrow();
      a.doWork();
      byte[] syn = link.b().receive(0).orElseThrow();
      link.b().transmit(icmpPortUnreachable(syn));
      a.doWork();
      assertEquals(1, a.packetsReceived(), "the ICMP error is taken, not dropped");
      assertEquals(0, a.packetsDropped());
      assertEquals(State.CLOSED, c.state(), "SynSentRcvIcmpHardError");
      assertEquals(Optional.of(ConnectionError.REFUSED), c.error());
    }
  }

  /** ICMP Destination Unreachable, port unreachable (RFC 792), from B about {@code ours}, quoting 28 bytes. */
  private static byte[] icmpPortUnreachable(byte[] ours) {
    int quoted = 28;
    byte[] p = new byte[20 + 8 + quoted];
    p[0] = 0x45;
    p[3] = (byte) p.length;
    p[8] = 64;
    p[9] = 1;
    for (int i = 0; i < 4; i++) {
      p[12 + i] = (byte) (B >>> (24 - 8 * i));
      p[16 + i] = (byte) (A >>> (24 - 8 * i));
    }
    int ipSum = InternetChecksum.compute(p, 0, 20);
    p[10] = (byte) (ipSum >>> 8);
    p[11] = (byte) ipSum;
    p[20] = 3;
    p[21] = 3;
    System.arraycopy(ours, 0, p, 28, quoted);
    int icmpSum = InternetChecksum.compute(p, 20, p.length - 20);
    p[22] = (byte) (icmpSum >>> 8);
    p[23] = (byte) icmpSum;
    return p;
  }
}
