package org.tcpspec.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.tcpspec.stack.Stack;
import org.tcpspec.time.SystemClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.Segment;

/** The blocking stream API over two stack loops joined by queues, on real time (timers matter). */
class TcpStreamTest {

  @Test
  void blockingEchoOfOneMegabyte() throws Exception {
    LinkedBlockingQueue<Segment> toA = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Segment> toB = new LinkedBlockingQueue<>();
    StackLoop a = new StackLoop(new Stack(TwoStacks.A, SystemClock.INSTANCE, TraceSink.NONE, 1), toB::add);
    StackLoop b = new StackLoop(new Stack(TwoStacks.B, SystemClock.INSTANCE, TraceSink.NONE, 2), toA::add);
    Thread.Builder vt = Thread.ofVirtual();
    java.util.List<Thread> drivers = java.util.List.of(vt.start(() -> pump(toA, a)), vt.start(() -> pump(toB, b)),
        vt.start(() -> timers(a)), vt.start(() -> timers(b)));

    int listenFd = TcpStream.listen(b, 7, 4);
    Thread server = vt.start(() -> {
      try (TcpStream s = TcpStream.accept(b, listenFd)) {
        s.input().transferTo(s.output());
        s.shutdownOutput();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    byte[] data = new byte[1 << 20];
    new java.util.Random(1).nextBytes(data);
    try (TcpStream c = TcpStream.connect(a, TwoStacks.B, 7)) {
      Thread writer = vt.start(() -> {
        try {
          c.output().write(data);
          c.shutdownOutput();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      byte[] echoed = c.input().readAllBytes();
      writer.join();
      assertEquals(data.length, echoed.length);
      assertArrayEquals(data, echoed);
    }
    server.join(TimeUnit.SECONDS.toMillis(10));
    drivers.forEach(Thread::interrupt);
  }

  private static void pump(LinkedBlockingQueue<Segment> q, StackLoop loop) {
    try {
      while (true) loop.input(q.take());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void timers(StackLoop loop) {
    while (!Thread.currentThread().isInterrupted()) {
      long wait = loop.nextDeadlineNanos() - SystemClock.INSTANCE.nowNanos();
      if (wait > 0) LockSupport.parkNanos(Math.min(wait, 5_000_000L));
      else loop.runTimers();
    }
  }
}
