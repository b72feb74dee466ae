package org.tcpspec.runtime;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tcpspec.device.PacketDevice;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.Stack;
import org.tcpspec.time.Clock;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentReader;

/**
 * Drives one {@link Stack} on one {@link PacketDevice} in the duty-cycle style of Agrona's
 * agents: {@link #doWork()} drains up to a batch of packets (read with a {@link SegmentReader};
 * malformed ones and ones for other addresses are dropped and counted), runs the timers that are
 * due on the clock, and transmits what the stack produced (emitted with {@link SegmentEmitter});
 * it returns how much it did. When a cycle did nothing, the loop idles inside the device's
 * receive, at most until the next timer deadline or {@link #MAX_IDLE_NANOS}.
 *
 * <p>Threads: the loop runs on one platform thread (a TUN wait is a native call, which would pin a
 * virtual thread's carrier). Application threads reach the stack only through {@link #call} and
 * {@link #await}, under the same lock; they transmit what their call produced themselves, so a
 * write does not wait for the loop to wake up.
 */
public final class EventLoop implements AutoCloseable {
  /** Upper bound on an idle wait, so a missed wake-up costs at most this much latency. */
  public static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final int BATCH = 64;

  private final PacketDevice device;
  private final Stack stack;
  private final SocketApi api;
  private final Clock clock;
  private final Consumer<String> log;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition progress = lock.newCondition();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** Drops by the reader's failed check (its ordinal), and, in the last slot, well-formed packets for another address. */
  private static final int NOT_OURS = SegmentReader.Check.values().length;
  private final AtomicLongArray droppedBy = new AtomicLongArray(NOT_OURS + 1);
  private final AtomicLong transmitted = new AtomicLong();
  private final SegmentReader reader = new SegmentReader();
  private volatile boolean running;
  private Thread thread;

  /**
   * @param stack must use {@code clock}, and nothing else may touch it or {@code api} afterwards
   * @param log receives one line per dropped packet and per device failure
   */
  public EventLoop(PacketDevice device, Stack stack, SocketApi api, Clock clock, Consumer<String> log) {
    if (api.stack() != stack) throw new IllegalArgumentException("api is not over this stack");
    this.device = device;
    this.stack = stack;
    this.api = api;
    this.clock = clock;
    this.log = log;
  }

  /** Starts the loop on its own platform thread. */
  public synchronized EventLoop start() {
    if (thread != null) throw new IllegalStateException("already started");
    running = true;
    thread = Thread.ofPlatform().name("tcpspec-event-loop").daemon().start(this::runLoop);
    return this;
  }

  private void runLoop() {
    try {
      while (running) {
        if (doWork() == 0) idle();
      }
    } catch (ClosedChannelException e) {
      running = false;
    } catch (IOException e) {
      if (running) log.accept("event loop stops: " + e);
      running = false;
    } finally {
      signalProgress();
    }
  }

  /**
   * One duty cycle: receive, timers, transmit. Returns the number of packets received plus
   * timers run plus packets transmitted; 0 means there was nothing to do.
   */
  public int doWork() throws IOException {
    int work = 0;
    for (int i = 0; i < BATCH; i++) {
      Optional<byte[]> packet = device.receive(0);
      if (packet.isEmpty()) break;
      work += deliver(packet.get());
    }
    lock.lock();
    try {
      if (stack.nextDeadlineNanos() <= clock.nowNanos()) {
        stack.runTimers();
        work++;
      }
      work += flushLocked();
      if (work > 0) progress.signalAll();
    } finally {
      lock.unlock();
    }
    return work;
  }

  /** Waits in the device for a packet, until the next timer or the idle bound at the latest. */
  private void idle() throws IOException {
    long wait;
    lock.lock();
    try {
      long until = stack.nextDeadlineNanos() - clock.nowNanos();
      wait = Math.max(0, Math.min(MAX_IDLE_NANOS, until));
    } finally {
      lock.unlock();
    }
    if (wait == 0) return;
    Optional<byte[]> packet = device.receive(wait);
    if (packet.isPresent() && deliver(packet.get()) > 0) {
      lock.lock();
      try {
        flushLocked();
        progress.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private int deliver(byte[] packet) {
    lock.lock();
    try {
      // A malformed packet is only counted, so the flyweight's verdict is enough: no Segment
      // record, option list or payload copy per received packet (issue #4). The reader is the
      // loop's one view, so it is used under the lock.
      if (!reader.wrap(packet, 0, packet.length)) {
        dropped.incrementAndGet();
        droppedBy.incrementAndGet(reader.failedCheck().ordinal());
        return 0;
      }
      if (!stack.isLocal(reader.dstAddrHigh(), reader.dstAddrLow())) {
        dropped.incrementAndGet();
        droppedBy.incrementAndGet(NOT_OURS);
        return 0;
      }
      received.incrementAndGet();
      stack.input(reader);
    } finally {
      lock.unlock();
    }
    return 1;
  }

  /** Emits and transmits what the stack produced; the lock is held. */
  private int flushLocked() throws IOException {
    List<Segment> out = stack.drainOutput();
    for (Segment s : out) {
      device.transmit(SegmentEmitter.emit(s, Ipv4Params.DEFAULT));
      transmitted.incrementAndGet();
    }
    return out.size();
  }

  /** Runs {@code call} on the socket table under the loop's lock and transmits its output. */
  public <T> T call(Function<SocketApi, T> call) throws IOException {
    lock.lock();
    try {
      T result = call.apply(api);
      if (flushLocked() > 0) progress.signalAll();
      return result;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Repeats {@code attempt} until it no longer says "would block", waiting for the stack's
   * progress in between. Used by {@link BlockingSockets}.
   *
   * @throws ClosedChannelException when the loop stopped while waiting
   */
  <T> T await(Function<SocketApi, T> attempt, java.util.function.Predicate<T> wouldBlock)
      throws IOException, InterruptedException {
    return await(attempt, wouldBlock, 0);
  }

  /**
   * {@link #await(Function, java.util.function.Predicate)} that returns the last "would block"
   * result once {@code timeoutNanos} (0: never) passed on the loop's clock (SO_RCVTIMEO).
   */
  <T> T await(Function<SocketApi, T> attempt, java.util.function.Predicate<T> wouldBlock, long timeoutNanos)
      throws IOException, InterruptedException {
    long deadline = timeoutNanos > 0 ? clock.nowNanos() + timeoutNanos : Long.MAX_VALUE;
    lock.lock();
    try {
      while (true) {
        T r = attempt.apply(api);
        if (flushLocked() > 0) progress.signalAll();
        if (!wouldBlock.test(r)) return r;
        if (!running) throw new ClosedChannelException();
        long left = deadline - clock.nowNanos();
        if (left <= 0) return r;
        progress.await(Math.min(MAX_IDLE_NANOS, left), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  private void signalProgress() {
    lock.lock();
    try {
      progress.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public long packetsReceived() {
    return received.get();
  }

  public long packetsDropped() {
    return dropped.get();
  }

  /**
   * The dropped packets by reason, those seen so far: a malformed one under the field it failed
   * ({@link SegmentReader.Check#field()} with the check's name, "ipv6.nextHeader IPV6_NEXT_HEADER"),
   * one well-formed but for an address not ours under "not for this stack".
   */
  public Map<String, Long> packetsDroppedByReason() {
    Map<String, Long> out = new TreeMap<>();
    SegmentReader.Check[] checks = SegmentReader.Check.values();
    for (SegmentReader.Check c : checks) {
      long n = droppedBy.get(c.ordinal());
      if (n > 0) out.put(c.field() + " " + c.name(), n);
    }
    long foreign = droppedBy.get(NOT_OURS);
    if (foreign > 0) out.put("not for this stack", foreign);
    return out;
  }

  public long packetsTransmitted() {
    return transmitted.get();
  }

  public boolean running() {
    return running;
  }

  /** Stops the loop and closes the device (which wakes the loop's wait). */
  @Override
  public void close() throws InterruptedException {
    running = false;
    device.close();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) t.join(TimeUnit.SECONDS.toMillis(5));
    signalProgress();
  }
}
