package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpspec.device.InMemoryNativeLink;
import org.tcpspec.device.NativePacketDevice;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.Stack;
import org.tcpspec.time.SystemClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.NativeSlices;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.TcpFlags;

/**
 * The loop waits in a native device for packets while no application thread is inside a call,
 * and polls it on a timer while one is (EventLoop.idle): here the thread is inside because its
 * write to the device is held.
 */
@Timeout(30)
class EventLoopPollingTest {
  private static final int A = 0x0A000001; // 10.0.0.1
  private static final int B = 0x0A000002; // 10.0.0.2

  @Test
  void whileAThreadIsInsideACallTheLoopPollsTheDeviceAndStillReadsIt() throws Exception {
    InMemoryNativeLink link = new InMemoryNativeLink(1500, 64, false);
    HeldWrites device = new HeldWrites(link.a());
    Stack stack = new Stack(A, SystemClock.INSTANCE, TraceSink.NONE, A);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (EventLoop loop = new EventLoop(device, stack, new SocketApi(stack), SystemClock.INSTANCE, line -> {})) {
      loop.start();
      awaitTrue(() -> device.waits.get() > 0, "the idle loop waits in the device");

      Future<?> connecting = pool.submit(() -> loop.call(api -> api.connect(api.socket(), B, 7)));
      device.writeHeld.await(); // the caller writes its SYN after the lock, and is held there

      Segment syn = new Segment(B, A, 40000, 81, 7, 0, TcpFlags.SYN, 1000, 0, java.util.List.of(), new byte[0]);
      link.b().transmit(SegmentEmitter.emit(syn, Ipv4Params.DEFAULT));
      awaitTrue(() -> loop.packetsReceived() == 1, "the polling loop reads the packet");
      Thread.sleep(3 * EventLoop.MAX_IDLE_NANOS / 1_000_000); // cycles in which a waiting loop would wait again
      assertEquals(0, device.waitsWhileHeld.get(), "waits in the device while the caller was inside");

      device.release.countDown();
      connecting.get();
      int before = device.waits.get();
      awaitTrue(() -> device.waits.get() > before, "once the caller left, the loop waits in the device again");
    } finally {
      device.release.countDown();
      pool.shutdownNow();
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    while (!condition.getAsBoolean()) Thread.sleep(1); // the class's @Timeout bounds it
    assertTrue(condition.getAsBoolean(), what);
  }

  /** A native device whose first write is held until {@link #release}, counting the loop's waits in it. */
  private static final class HeldWrites implements NativePacketDevice {
    private final NativePacketDevice inner;
    final AtomicInteger waits = new AtomicInteger();
    final AtomicInteger waitsWhileHeld = new AtomicInteger();
    final CountDownLatch writeHeld = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    HeldWrites(NativePacketDevice inner) {
      this.inner = inner;
    }

    private void hold() throws IOException {
      writeHeld.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
    }

    @Override
    public boolean awaitPacket(long timeoutNanos) throws IOException {
      waits.incrementAndGet();
      if (writeHeld.getCount() == 0 && release.getCount() == 1) waitsWhileHeld.incrementAndGet();
      return inner.awaitPacket(timeoutNanos);
    }

    @Override
    public void transmitNative(MemorySegment buffer, int length) throws IOException {
      hold();
      inner.transmitNative(buffer, length);
    }

    @Override
    public void transmitSuperPacket(MemorySegment buffer, int length, int tcpOffset, int headerLength, int gsoSize)
        throws IOException {
      hold();
      inner.transmitSuperPacket(buffer, length, tcpOffset, headerLength, gsoSize);
    }

    @Override
    public void transmitGathered(MemorySegment headers, int headerLength, NativeSlices payload, int tcpOffset,
        int gsoSize) throws IOException {
      hold();
      inner.transmitGathered(headers, headerLength, payload, tcpOffset, gsoSize);
    }

    @Override
    public boolean segmentationOffload() {
      return inner.segmentationOffload();
    }

    @Override
    public int receiveNative(MemorySegment into) throws IOException {
      return inner.receiveNative(into);
    }

    @Override
    public MemorySegment rxBuffer() {
      return inner.rxBuffer();
    }

    @Override
    public int rxGsoSize() {
      return inner.rxGsoSize();
    }

    @Override
    public boolean rxChecksumPartial() {
      return inner.rxChecksumPartial();
    }

    @Override
    public Optional<byte[]> receive(long timeoutNanos) throws IOException {
      return inner.receive(timeoutNanos);
    }

    @Override
    public void transmit(byte[] packet) throws IOException {
      hold();
      inner.transmit(packet);
    }

    @Override
    public int mtu() {
      return inner.mtu();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
