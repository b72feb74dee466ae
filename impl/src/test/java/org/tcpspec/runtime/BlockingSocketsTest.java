package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpspec.device.InMemoryLink;
import org.tcpspec.device.PacketDevice;
import org.tcpspec.abi.Errno;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.Stack;
import org.tcpspec.time.Clock;
import org.tcpspec.time.ManualClock;
import org.tcpspec.time.SystemClock;
import org.tcpspec.trace.TraceSink;

/**
 * Applications' view of the runtime: blocking calls and {@link SocketStreams} over two event loops
 * joined by an in-memory link, without root.
 */
@Timeout(60)
class BlockingSocketsTest {
  private static final int A = 0x0A000001; // 10.0.0.1
  private static final int B = 0x0A000002; // 10.0.0.2

  private static EventLoop loop(PacketDevice device, int addr, Clock clock) {
    Stack stack = new Stack(addr, clock, TraceSink.NONE, addr);
    return new EventLoop(device, stack, new SocketApi(stack), clock, line -> {});
  }

  /** Both directions at once through the stream views, on real time (timers matter). */
  @Test
  void oneMegabyteEchoedThroughStreams() throws Exception {
    InMemoryLink link = new InMemoryLink();
    byte[] data = new byte[1 << 20];
    new Random(1).nextBytes(data);
    try (EventLoop a = loop(link.a(), A, SystemClock.INSTANCE).start();
        EventLoop b = loop(link.b(), B, SystemClock.INSTANCE).start();
        ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
      BlockingSockets server = new BlockingSockets(b);
      BlockingSockets client = new BlockingSockets(a);
      int listenFd = server.listen(7, 4);
      Future<Void> echo = vt.submit(() -> {
        int fd = server.accept(listenFd);
        SocketStreams.input(server, fd).transferTo(SocketStreams.output(server, fd));
        server.shutdownOutput(fd);
        server.close(fd);
        return null;
      });
      int fd = client.connect(B, 7);
      OutputStream out = SocketStreams.output(client, fd);
      Future<Void> writer = vt.submit(() -> {
        out.write(data);
        client.shutdownOutput(fd);
        return null;
      });
      InputStream in = SocketStreams.input(client, fd);
      byte[] echoed = in.readAllBytes();
      writer.get();
      echo.get();
      client.close(fd);
      assertEquals(data.length, echoed.length);
      assertArrayEquals(data, echoed);
    }
  }

  /**
   * SO_RCVTIMEO: a blocking read that waited that long on the loop's clock fails with EAGAIN, as
   * Linux's does. The clock is manual, so the test decides when the two seconds have passed.
   */
  @Test
  void aBlockingReadUnderRcvtimeoFailsWithEagain() throws Exception {
    ManualClock clock = new ManualClock(1_000_000_000L);
    InMemoryLink link = new InMemoryLink();
    try (EventLoop a = loop(link.a(), A, clock).start();
        EventLoop b = loop(link.b(), B, clock).start();
        ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
      BlockingSockets server = new BlockingSockets(b);
      BlockingSockets client = new BlockingSockets(a);
      int listenFd = server.listen(7, 4);
      int fd = client.connect(B, 7);
      server.accept(listenFd);
      assertEquals(0, a.call(api -> api.setReceiveTimeout(fd, 2, 0)).value());
      long start = clock.nowNanos();
      Future<Integer> read = vt.submit(() -> SocketStreams.input(client, fd).read());
      // Virtual time moves only here, 100 ms at a time, until the reader gives up. It moves
      // under loop a's lock, where the reader and a's timers read it.
      while (!read.isDone()) {
        a.call(api -> {
          clock.advanceMillis(100);
          return null;
        });
        Thread.sleep(Duration.ofMillis(5));
      }
      ExecutionException e = assertThrows(ExecutionException.class, read::get);
      BlockingSockets.SocketError error = assertInstanceOf(BlockingSockets.SocketError.class, e.getCause());
      assertEquals("read: EAGAIN", error.getMessage());
      assertEquals(Errno.EAGAIN, error.errno());
      assertTrue(clock.nowNanos() - start >= 2_000_000_000L, "gave up before SO_RCVTIMEO");
    }
  }
}
