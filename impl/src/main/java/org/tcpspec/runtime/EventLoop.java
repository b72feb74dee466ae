package org.tcpspec.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.tcpspec.device.NativePacketDevice;
import org.tcpspec.device.PacketDevice;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.Stack;
import org.tcpspec.time.Clock;
import org.tcpspec.wire.PacketBufferPool;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentReader;
import org.tcpspec.wire.TcpSuperPacket;

/**
 * Drives one {@link Stack} on one {@link PacketDevice} in the duty-cycle style of Agrona's
 * agents: {@link #doWork()} drains up to a batch of packets (read with a {@link SegmentReader};
 * malformed ones and ones for other addresses are dropped and counted), runs the timers that are
 * due on the clock, and transmits what the stack produced (emitted with {@link SegmentEmitter});
 * it returns how much it did. When a cycle did nothing, the loop idles inside the device's
 * receive, at most until the next timer deadline or {@link #MAX_IDLE_NANOS}; on a native device
 * while an application thread is inside a call, it polls the device on a timer instead ({@link
 * #POLL_WHILE_CALLING_NANOS}, see {@link #idle}).
 *
 * <p>On a {@link NativePacketDevice} (the TUN device itself, undecorated) the data path allocates
 * nothing per packet: packets are read into buffers of the loop's {@link PacketBufferPool} and
 * parsed where they lie (a large in-order payload stays there, lent to its receive buffer, until
 * the application reads it);
 * the stack's segments are emitted as they are made ({@link Stack#transmitTo}) into the slots of the loop's
 * {@link TransmitRing}, consecutive ones of a flow coalesced into one TCP super-packet when the device
 * segments on transmit ({@link TcpSuperPacket}), and queued once the next segment cannot follow or
 * the cycle ends; a pure ACK that a later one of the cycle makes redundant is not queued. The
 * queued packets are written by the thread that made them once it let go of the lock ({@link
 * TransmitRing}), so a device write, which runs the receiving kernel's input path, does not keep
 * the other threads from the stack; what the loop queues while an application thread is inside a
 * call is left to that thread, as Linux defers a socket's transmission to its owner ({@link
 * TransmitPath#drainOnLoop}). A super-packet received stands for the run of segments it was made of; the
 * stack takes it whole, as Linux's TCP takes a GRO packet (tcp_rcv_established on one skb: one ACK
 * decision, rcv_mss from the segment size, see {@code Receiver}).
 *
 * <p>Threads: the loop runs on one platform thread (a TUN wait is a native call, which would pin a
 * virtual thread's carrier). Application threads reach the stack only through {@link #call} and
 * {@link #await}, under the same lock; they transmit what their call produced themselves (after
 * letting go of the lock), so a write does not wait for the loop to wake up. A packet the loop
 * reads while one of them holds the lock goes into a {@link ReceiveBacklog}, which that thread
 * processes before it lets go (Linux's socket backlog and release_sock).
 *
 * <p>The duty cycle, the loop's thread and its lock are here; the rest is split by concern into
 * parts made once, in the constructor: {@link ReceivePath} (packets in: read into the pool's
 * buffers or taken as byte arrays, parsed, fed to the stack or counted as dropped; the backlog),
 * {@link TransmitPath} (packets out: the stack's sink into the transmit ring, or a plain device's
 * writes) and {@link ApplicationCalls} (application threads' calls and waits, and the loop's
 * signals that end them).
 */
public final class EventLoop implements AutoCloseable {
  /** Upper bound on an idle wait, so a missed wake-up costs at most this much latency. */
  public static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final int BATCH = 64;

  /**
   * How often the loop polls a native device while an application thread is inside a call, in
   * place of waiting in it ({@link #idle}); 0 waits in the device always. {@code
   * -Dtcpspec.loop.pollMicros=N} sets it (0 to compare).
   */
  static final long POLL_WHILE_CALLING_NANOS = Long.getLong("tcpspec.loop.pollMicros", 50) * 1000;

  private final PacketDevice device;
  private final Stack stack;
  private final Clock clock;
  private final Consumer<String> log;
  /** The stack's lock; the loop takes it with {@link LoopLock#lockOnLoop()}, which allocates nothing. */
  private final LoopLock lock = new LoopLock();
  /** The device's native side, or null on a plain {@link PacketDevice} (byte arrays and records). */
  private final NativePacketDevice nativeDevice;
  /** Packets in: read, parsed, fed to the stack or dropped; the backlog. */
  private final ReceivePath receive;
  /** Packets out: the stack's sink and the {@link TransmitRing}, or the plain device's writes. */
  private final TransmitPath transmit;
  /** Application threads: their calls and waits, and the loop's signals. */
  private final ApplicationCalls calls;
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
    this.clock = clock;
    this.log = log;
    nativeDevice = device instanceof NativePacketDevice n ? n : null;
    receive = new ReceivePath(nativeDevice, stack, lock);
    transmit = new TransmitPath(device, stack, log);
    calls = new ApplicationCalls(lock, api, clock, receive, transmit, this::running);
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
      calls.signalProgress();
    }
  }

  /**
   * One duty cycle: receive, timers, transmit. Returns the number of packets received plus
   * timers run plus packets transmitted; 0 means there was nothing to do.
   */
  public int doWork() throws IOException {
    int work = 0;
    for (int i = 0; i < BATCH; i++) {
      if (nativeDevice != null) {
        int taken = receive.readNative();
        if (taken < 0) break;
        work += taken;
        transmit.drainOnLoop();
      } else {
        Optional<byte[]> packet = device.receive(0);
        if (packet.isEmpty()) break;
        work += receive.deliver(packet.get());
      }
    }
    lockOnLoop();
    try {
      receive.processBacklogLocked(); // counted as work when they were read
      if (stack.nextDeadlineNanos() <= clock.nowNanos()) {
        stack.runTimers();
        work++;
      }
      work += transmit.flushLocked();
      calls.signalLocked(work);
    } finally {
      lock.unlock();
    }
    transmit.drainOnLoop();
    return work;
  }

  /**
   * Waits in the device for a packet, until the next timer or the idle bound at the latest; while
   * an application thread is inside a call, polls the device on a timer instead.
   *
   * <p>Why poll: a loop waiting in the TUN device is woken by each packet the kernel queues there,
   * and sending to the kernel those are its ACKs, which the kernel's TCP input sends in our writing
   * thread's writev (tun_net_xmit, then the wake-up of the waiting loop: sk_data_ready). So each
   * ACK cost that thread, the bottleneck, a wake-up, and the loop, woken on its processor, often
   * preempted it: in 3 s of stack to kernel at MTU 65000 (`perf record -e
   * sched:sched_wakeup,sched:sched_switch`) the loop slept 32,693 times, 10,102 of them woken by
   * the writer, which was preempted 7,999 times. A NIC driver does the same under load: while its
   * NAPI poll keeps finding work, interrupts stay off and a timer re-polls the device (Linux
   * napi_defer_hard_irqs with gro_flush_timeout, net/core/dev.c napi_complete_done). With no
   * thread inside, the loop waits in the device as before, so an idle stack answers at once. A
   * thread asleep in a call (waiting for window or data) is not counted as inside ({@link
   * TransmitPath#applicationLeaves}), so the packet it waits for wakes the loop. The price: while a
   * thread is busy in a call, a packet may wait up to {@link #POLL_WHILE_CALLING_NANOS} to be read.
   * Measured in impl/TUN-PATH-LOG.md (session 23).
   */
  private void idle() throws IOException {
    long wait;
    lockOnLoop();
    try {
      long until = stack.nextDeadlineNanos() - clock.nowNanos();
      wait = Math.max(0, Math.min(MAX_IDLE_NANOS, until));
    } finally {
      lock.unlock();
    }
    if (wait == 0) return;
    if (nativeDevice != null && POLL_WHILE_CALLING_NANOS > 0 && transmit.applicationInside()) {
      LockSupport.parkNanos(Math.min(POLL_WHILE_CALLING_NANOS, wait));
      return;
    }
    if (nativeDevice != null) {
      nativeDevice.awaitPacket(wait); // the next cycle reads it
      return;
    }
    Optional<byte[]> packet = device.receive(wait);
    if (packet.isPresent() && receive.deliver(packet.get()) > 0) {
      lock.lock();
      try {
        transmit.flushLocked();
        calls.signalLocked(1);
      } finally {
        lock.unlock();
      }
    }
  }

  /** The loop thread takes the lock without queueing, so that a hold by an application thread allocates nothing. */
  private void lockOnLoop() {
    lock.lockOnLoop();
  }

  /** Runs {@code call} on the socket table under the loop's lock and transmits its output. */
  public <T> T call(Function<SocketApi, T> call) throws IOException {
    return calls.call(call);
  }

  /**
   * Repeats {@code attempt} until it no longer says "would block", waiting for the stack's
   * progress in between. Used by {@link BlockingSockets}.
   *
   * @throws ClosedChannelException when the loop stopped while waiting
   */
  <T> T await(Function<SocketApi, T> attempt, Predicate<T> wouldBlock)
      throws IOException, InterruptedException {
    return calls.await(attempt, wouldBlock, 0);
  }

  /**
   * {@link #await(Function, Predicate)} that returns the last "would block" result once {@code
   * timeoutNanos} (0: never) passed on the loop's clock (SO_RCVTIMEO).
   */
  <T> T await(Function<SocketApi, T> attempt, Predicate<T> wouldBlock, long timeoutNanos)
      throws IOException, InterruptedException {
    return calls.await(attempt, wouldBlock, timeoutNanos);
  }

  /**
   * {@link #await(Function, Predicate, long)} for a call on socket {@code fd} that can complete
   * once it polls ready for {@code events} (POLLIN for a read, POLLOUT for a write): the thread is
   * woken only then, not on every cycle that did work.
   */
  <T> T await(int fd, int events, Function<SocketApi, T> attempt, Predicate<T> wouldBlock,
      long timeoutNanos) throws IOException, InterruptedException {
    return calls.await(fd, events, attempt, wouldBlock, api -> timeoutNanos);
  }

  /**
   * {@link #await(int, int, Function, Predicate, long)} with the timeout read from the socket
   * table ({@code timeoutOf}, SO_RCVTIMEO) once the call would block, in the same hold of the
   * lock as the first attempt (see {@link ApplicationCalls}).
   */
  <T> T await(int fd, int events, Function<SocketApi, T> attempt, Predicate<T> wouldBlock,
      ToLongFunction<SocketApi> timeoutOf) throws IOException, InterruptedException {
    return calls.await(fd, events, attempt, wouldBlock, timeoutOf);
  }

  public long packetsReceived() {
    return receive.packetsReceived();
  }

  public long packetsDropped() {
    return receive.packetsDropped();
  }

  /**
   * The dropped packets by reason, those seen so far: a malformed one under the field it failed
   * ({@link SegmentReader.Check#field()} with the check's name, "ipv6.nextHeader IPV6_NEXT_HEADER"),
   * one well-formed but for an address not ours under "not for this stack".
   */
  public Map<String, Long> packetsDroppedByReason() {
    return receive.packetsDroppedByReason();
  }

  public long packetsTransmitted() {
    return transmit.packetsTransmitted();
  }

  /**
   * Packets read while an application thread held the lock and left in the backlog for it
   * ({@link ReceiveBacklog}); 0 on a plain device.
   */
  public long packetsBacklogged() {
    return receive.packetsBacklogged();
  }

  /**
   * Whether the device reads packets into buffers of the loop's pool handed over ahead of time
   * (the TUN device's io_uring, {@link NativePacketDevice#buffersWanted()}); known once the loop
   * has read.
   */
  public boolean readsIntoProvidedBuffers() {
    return receive.providing();
  }

  /** Segments received: a super-packet counts the MSS-sized segments it stands for. */
  public long segmentsReceived() {
    return receive.segmentsReceived();
  }

  /** Segments transmitted: a super-packet counts the segments it was built from. */
  public long segmentsTransmitted() {
    return transmit.segmentsTransmitted();
  }

  /**
   * Receive chunks the stack has made so far ({@link org.tcpspec.tcb.ChunkPool#chunksMade()}): what
   * its receive buffers took from the heap on this loop's thread, not per packet but each time the
   * unread bytes of all connections reached a new peak.
   */
  public long receiveChunksMade() {
    return stack.memory().chunks().chunksMade();
  }

  /**
   * Bytes the loop's thread allocated since it started (HotSpot's per-thread counter), 0 before it
   * starts or where the JVM does not count; with {@link #packetsReceived()} and {@link
   * #packetsTransmitted()} it says what the data path allocates per packet.
   */
  public long allocatedBytes() {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null || !(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)) return 0;
    long bytes = mx.getThreadAllocatedBytes(t.threadId());
    return Math.max(bytes, 0);
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
    calls.signalProgress();
  }
}
