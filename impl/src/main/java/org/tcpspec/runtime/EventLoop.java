package org.tcpspec.runtime;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tcpspec.device.NativePacketDevice;
import org.tcpspec.device.PacketDevice;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.Stack;
import org.tcpspec.time.Clock;
import org.tcpspec.wire.IcmpError;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.PacketBuffer;
import org.tcpspec.wire.PacketBufferPool;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentReader;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpSuperPacket;

/**
 * Drives one {@link Stack} on one {@link PacketDevice} in the duty-cycle style of Agrona's
 * agents: {@link #doWork()} drains up to a batch of packets (read with a {@link SegmentReader};
 * malformed ones and ones for other addresses are dropped and counted), runs the timers that are
 * due on the clock, and transmits what the stack produced (emitted with {@link SegmentEmitter});
 * it returns how much it did. When a cycle did nothing, the loop idles inside the device's
 * receive, at most until the next timer deadline or {@link #MAX_IDLE_NANOS}.
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
 * the other threads from the stack. A super-packet received stands for the run of segments it was made of; the
 * stack takes it whole, as Linux's TCP takes a GRO packet (tcp_rcv_established on one skb: one ACK
 * decision, rcv_mss from the segment size, see {@code Receiver}).
 *
 * <p>Threads: the loop runs on one platform thread (a TUN wait is a native call, which would pin a
 * virtual thread's carrier). Application threads reach the stack only through {@link #call} and
 * {@link #await}, under the same lock; they transmit what their call produced themselves (after
 * letting go of the lock), so a write does not wait for the loop to wake up. A packet the loop
 * reads while one of them holds the lock goes into a {@link ReceiveBacklog}, which that thread
 * processes before it lets go (Linux's socket backlog and release_sock).
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
  /** The stack's lock; the loop takes it with {@link LoopLock#lockOnLoop()}, which allocates nothing. */
  private final LoopLock lock = new LoopLock();
  /** Application threads waiting for any progress (accept, connect). */
  private final Condition progress = lock.newCondition();
  /** Application threads waiting for one socket to become ready (read, write); guarded by the lock. */
  private final List<Waiter> waiters = new ArrayList<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** Drops by the reader's failed check (its ordinal), and, in the last slot, well-formed packets for another address. */
  private static final int NOT_OURS = SegmentReader.Check.values().length;
  private final AtomicLongArray droppedBy = new AtomicLongArray(NOT_OURS + 1);
  /** Packets transmitted on a plain device; a native one's are counted by {@link #ring}. */
  private final AtomicLong transmitted = new AtomicLong();
  /** Segments the packets stood for (a super-packet counts its segments), both ways. */
  private final AtomicLong segmentsReceived = new AtomicLong();
  private final AtomicLong segmentsTransmitted = new AtomicLong();
  private final SegmentReader reader = new SegmentReader();
  /** The device's native side, or null on a plain {@link PacketDevice} (byte arrays and records). */
  private final NativePacketDevice nativeDevice;
  /** Where the stack's segments go on a native device, to be written after the lock is released. */
  private final TransmitRing ring;
  /** Packets read while an application thread held the lock, for the next holder (see {@link ReceiveBacklog}). */
  private final ReceiveBacklog backlog;
  /**
   * The buffers the loop reads packets into on a native device; receive buffers keep large
   * payloads in them until the application reads them ({@link PacketBuffer}), and the loop then
   * reads on into another. 64 of 64 KB: a few megabytes of payload waiting to be read; past that,
   * receive buffers copy.
   */
  private final PacketBufferPool rxPool;
  private static final int RX_BUFFERS = 64;
  /** The buffer the next packet is read into: the loop's thread only, swapped under the lock. */
  private PacketBuffer rx;
  /** Packets queued since the last {@link #flushLocked}, for its count of work done. */
  private int queuedSinceFlush;
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
    if (device instanceof NativePacketDevice n) {
      nativeDevice = n;
      ring = new TransmitRing(n, log);
      backlog = new ReceiveBacklog();
      rxPool = new PacketBufferPool(n.rxBuffer().byteSize(), RX_BUFFERS);
      rx = rxPool.take();
      stack.transmitTo(this::transmitSegment, n.segmentationOffload());
    } else {
      nativeDevice = null;
      ring = null;
      backlog = null;
      rxPool = null;
    }
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
      if (nativeDevice != null) {
        int length = nativeDevice.receiveNative(rx.memory());
        if (length == 0) break;
        work += receivedNative(length);
        ring.drain();
      } else {
        Optional<byte[]> packet = device.receive(0);
        if (packet.isEmpty()) break;
        work += deliver(packet.get());
      }
    }
    lockOnLoop();
    try {
      processBacklogLocked(); // counted as work when they were read
      if (stack.nextDeadlineNanos() <= clock.nowNanos()) {
        stack.runTimers();
        work++;
      }
      work += flushLocked();
      signalLocked(work);
    } finally {
      lock.unlock();
    }
    drain();
    return work;
  }

  /** Waits in the device for a packet, until the next timer or the idle bound at the latest. */
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
    if (nativeDevice != null) {
      nativeDevice.awaitPacket(wait); // the next cycle reads it
      return;
    }
    Optional<byte[]> packet = device.receive(wait);
    if (packet.isPresent() && deliver(packet.get()) > 0) {
      lock.lock();
      try {
        flushLocked();
        signalLocked(1);
      } finally {
        lock.unlock();
      }
    }
  }

  /** Writes what the stack queued for a native device (see {@link TransmitRing}); without the lock. */
  private void drain() {
    if (ring != null) ring.drain();
  }

  /** The loop thread takes the lock without queueing, so that a hold by an application thread allocates nothing. */
  private void lockOnLoop() {
    lock.lockOnLoop();
  }

  /**
   * An application thread waiting until its socket polls ready for {@code events} (or with an
   * error or hang-up, which poll always reports).
   */
  private record Waiter(int fd, int events, Condition ready) {}

  /**
   * Wakes application threads, if work was done: those waiting for any progress, and of those
   * waiting for one socket only the ones whose socket now polls ready. Sixteen writers each woken
   * on every cycle, to find their send buffer still full, were sixteen context switches per cycle.
   */
  private void signalLocked(int work) {
    if (work <= 0) return;
    if (lock.hasWaiters(progress)) progress.signalAll();
    for (int i = 0; i < waiters.size(); i++) {
      Waiter w = waiters.get(i);
      if (api.poll(w.fd, w.events) != 0) w.ready.signal();
    }
  }

  /**
   * The packet just read into the device's buffer: fed to the stack under the lock, or, while an
   * application thread holds the lock, copied into the backlog for whoever holds it next (Linux's
   * sk_add_backlog); only with the backlog full does the loop wait for the lock.
   */
  private int receivedNative(int length) {
    MemorySegment packet = rx.memory();
    boolean partial = nativeDevice.rxChecksumPartial();
    int gsoSize = nativeDevice.rxGsoSize();
    if (!lock.tryLock()) {
      PacketBuffer next = backlog.hasRoom() ? rxPool.take() : null;
      if (next != null) {
        backlog.offer(rx, length, partial, gsoSize);
        rx = next;
        return 1;
      }
      lockOnLoop();
    }
    try {
      processBacklogLocked();
      reader.lendFrom(rx);
      try {
        return deliverLocked(packet, length, partial, gsoSize);
      } finally {
        reader.lendFrom(null);
        nextRxIfLent();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * A receive buffer kept part of the packet just delivered: the next one is read into another
   * buffer (one is there: the lend asked the pool), and this one goes back to the pool when the
   * application has read what was kept. The lock held, so no read gives a part back meanwhile.
   */
  private void nextRxIfLent() {
    if (!rx.lent()) return;
    PacketBuffer next = rxPool.take();
    if (next == null) throw new IllegalStateException("a packet buffer was lent with none to replace it");
    rxPool.doneReading(rx);
    rx = next;
  }

  /**
   * Feeds the backlog's packets to the stack, oldest first (Linux __release_sock), and returns how
   * many were taken; the lock held. Packets go to the stack in the order they were read: the loop
   * delivers one itself only after this.
   */
  private int processBacklogLocked() {
    if (backlog == null) return 0;
    int n = 0;
    while (!backlog.isEmpty()) {
      int slot = backlog.peek();
      PacketBuffer packet = backlog.buffer(slot);
      reader.lendFrom(packet);
      try {
        n += deliverLocked(packet.memory(), backlog.length(slot), backlog.checksumPartial(slot),
            backlog.gsoSize(slot));
      } finally {
        reader.lendFrom(null);
        rxPool.doneReading(packet);
        backlog.pop();
      }
    }
    return n;
  }

  /**
   * An application thread about to let go of the lock (or to wait on a condition, which does): it
   * first takes what the loop left in the backlog meanwhile, as a Linux process in release_sock,
   * transmits what that produced and wakes whoever it concerns. Returns how many packets it took.
   */
  private int processBacklogOnApplication() throws IOException {
    int n = processBacklogLocked();
    if (n > 0) signalLocked(n + flushLocked());
    return n;
  }

  /** {@link #processBacklogOnApplication()}, then lets go of the lock. */
  private void unlockOnApplication() throws IOException {
    try {
      processBacklogOnApplication();
    } finally {
      lock.unlock();
    }
  }

  /** Parses the packet {@code packet[0, length)} where it lies and feeds it to the stack; the lock held. */
  private int deliverLocked(MemorySegment packet, int length, boolean checksumPartial, int gsoSize) {
    boolean wellFormed = checksumPartial
        ? reader.wrapChecksumOffloaded(packet, 0, length)
        : reader.wrap(packet, 0, length);
    if (!wellFormed && notTcp() && icmpError(packet.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE))) return 1;
    int payload = wellFormed ? reader.payloadLength() : 0;
    return inputWrapped(wellFormed, gsoSize > 0 && payload > gsoSize ? (payload + gsoSize - 1) / gsoSize : 1);
  }

  /**
   * The packet the reader has wrapped, {@code segments} of them when it is a super-packet: counted
   * and dropped when malformed or not for this stack, else fed to the stack (1); the lock held.
   */
  private int inputWrapped(boolean wellFormed, int segments) {
    if (!wellFormed) {
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
    segmentsReceived.addAndGet(segments);
    stack.input(reader);
    return 1;
  }

  /** Whether the packet the reader refused is not TCP at all (and so may be ICMP). */
  private boolean notTcp() {
    SegmentReader.Check c = reader.failedCheck();
    return c == SegmentReader.Check.IPV4_PROTOCOL || c == SegmentReader.Check.IPV6_NEXT_HEADER;
  }

  /**
   * An ICMP or ICMPv6 error about one of our segments goes to the stack (RFC 9293 §3.9.2.2,
   * MUST-54), which directs it to the connection it quotes; anything else is not taken. The lock is
   * held. A copy per packet, since ICMP is rare and the TCP path stays as it is.
   */
  private boolean icmpError(byte[] packet) {
    Optional<IcmpError> e = IcmpError.parse(packet, 0, packet.length);
    if (e.isEmpty()) return false;
    received.incrementAndGet();
    stack.icmpInput(e.get());
    return true;
  }

  /**
   * The stack's sink on a native device: each segment into the super-packet being built. A pure
   * ACK is held until the next segment or the end of the cycle, and a later pure ACK of the same
   * connection that acknowledges more replaces it ({@link TcpSuperPacket#supersededBy}): the
   * packets of one cycle's reads are acknowledged once, after the last of them, much as Linux's GRO
   * answers with one ACK the segments one NAPI poll merged. Each ACK we write
   * costs a system call, and the sending kernel's ACK processing and transmission, which run in
   * that call on our thread.
   */
  private void transmitSegment(SegmentView s) {
    TcpSuperPacket outgoing = ring.filling();
    if (outgoing.supersededBy(s)) outgoing.clear();
    if (!outgoing.add(s)) {
      queue();
      outgoing = ring.filling();
      outgoing.add(s);
    }
    if (outgoing.closed() && !outgoing.pureAck()) queue();
  }

  /** Queues the super-packet being built, if any, for the device (see {@link TransmitRing}). */
  private void queue() {
    if (ring.submit()) queuedSinceFlush++;
  }

  private int deliver(byte[] packet) {
    lock.lock();
    try {
      // A malformed packet is only counted, so the flyweight's verdict is enough: no Segment
      // record, option list or payload copy per received packet (issue #4). The reader is the
      // loop's one view, so it is used under the lock.
      boolean wellFormed = reader.wrap(packet, 0, packet.length);
      if (!wellFormed && notTcp() && icmpError(packet)) return 1;
      return inputWrapped(wellFormed, 1);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Transmits what the stack produced and returns how many packets that was; the lock is held. On a
   * native device the segments went out as they were made, but for the super-packet still open.
   */
  private int flushLocked() throws IOException {
    if (nativeDevice != null) {
      queue();
      int queued = queuedSinceFlush;
      queuedSinceFlush = 0;
      return queued;
    }
    List<Segment> out = stack.drainOutput();
    for (Segment s : out) {
      device.transmit(SegmentEmitter.emit(s, Ipv4Params.DEFAULT));
      transmitted.incrementAndGet();
      segmentsTransmitted.incrementAndGet();
    }
    return out.size();
  }

  /** Runs {@code call} on the socket table under the loop's lock and transmits its output. */
  public <T> T call(Function<SocketApi, T> call) throws IOException {
    lock.lock();
    try {
      T result = call.apply(api);
      signalLocked(flushLocked());
      return result;
    } finally {
      unlockOnApplication();
      drain();
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
    return await(progress, attempt, wouldBlock, timeoutNanos);
  }

  /**
   * {@link #await(Function, java.util.function.Predicate, long)} for a call on socket {@code fd}
   * that can complete once it polls ready for {@code events} (POLLIN for a read, POLLOUT for a
   * write): the thread is woken only then, not on every cycle that did work.
   */
  <T> T await(int fd, int events, Function<SocketApi, T> attempt, java.util.function.Predicate<T> wouldBlock,
      long timeoutNanos) throws IOException, InterruptedException {
    return await(fd, events, attempt, wouldBlock, api -> timeoutNanos);
  }

  /**
   * {@link #await(int, int, Function, java.util.function.Predicate, long)} with the timeout read
   * from the socket table ({@code timeoutOf}, SO_RCVTIMEO) once the call would block. The first
   * attempt, the timeout, the waiter's registration and its wait happen in one hold of the lock,
   * and the waiter is removed in the hold whose attempt completes: every further hold is one the
   * loop may have to leave a packet in the backlog for (issue 15: a bulk reader that drains the
   * buffer waits on every read; it took the lock five times per read).
   */
  <T> T await(int fd, int events, Function<SocketApi, T> attempt, java.util.function.Predicate<T> wouldBlock,
      java.util.function.ToLongFunction<SocketApi> timeoutOf) throws IOException, InterruptedException {
    Waiter w = null;
    lock.lock();
    try {
      long deadline = Long.MAX_VALUE;
      while (true) {
        T r = attempt.apply(api);
        signalLocked(flushLocked());
        if (!wouldBlock.test(r)) return r;
        if (!running) throw new ClosedChannelException();
        if (w == null) {
          long timeout = timeoutOf.applyAsLong(api);
          if (timeout > 0) deadline = clock.nowNanos() + timeout;
          w = new Waiter(fd, events, lock.newCondition());
          waiters.add(w);
        }
        long left = deadline - clock.nowNanos();
        if (left <= 0) return r;
        if (settleBeforeWait()) continue;
        w.ready().await(Math.min(MAX_IDLE_NANOS, left), TimeUnit.NANOSECONDS);
      }
    } finally {
      if (w != null) waiters.remove(w);
      unlockOnApplication();
      drain();
    }
  }

  private <T> T await(Condition condition, Function<SocketApi, T> attempt, java.util.function.Predicate<T> wouldBlock,
      long timeoutNanos) throws IOException, InterruptedException {
    long deadline = timeoutNanos > 0 ? clock.nowNanos() + timeoutNanos : Long.MAX_VALUE;
    lock.lock();
    try {
      while (true) {
        T r = attempt.apply(api);
        signalLocked(flushLocked());
        if (!wouldBlock.test(r)) return r;
        if (!running) throw new ClosedChannelException();
        long left = deadline - clock.nowNanos();
        if (left <= 0) return r;
        if (settleBeforeWait()) continue;
        condition.await(Math.min(MAX_IDLE_NANOS, left), TimeUnit.NANOSECONDS);
      }
    } finally {
      unlockOnApplication();
      drain();
    }
  }

  /**
   * What a waiting application thread does before it sleeps, the lock held: what its attempt
   * queued goes out, without the lock (the stack may move meanwhile); else the packets the loop
   * left in the backlog are taken, which may be what the call waits for. True when either
   * happened: the attempt is then made again.
   */
  private boolean settleBeforeWait() throws IOException {
    if (ring != null && ring.pending()) {
      unlockOnApplication();
      try {
        ring.drain();
      } finally {
        lock.lock();
      }
      return true;
    }
    return processBacklogOnApplication() > 0;
  }

  private void signalProgress() {
    lock.lock();
    try {
      progress.signalAll();
      for (Waiter w : waiters) w.ready().signalAll();
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
    return ring != null ? ring.written() : transmitted.get();
  }

  /**
   * Packets read while an application thread held the lock and left in the backlog for it
   * ({@link ReceiveBacklog}); 0 on a plain device.
   */
  public long packetsBacklogged() {
    return backlog != null ? backlog.deferred() : 0;
  }

  /** Segments received: a super-packet counts the MSS-sized segments it stands for. */
  public long segmentsReceived() {
    return segmentsReceived.get();
  }

  /** Segments transmitted: a super-packet counts the segments it was built from. */
  public long segmentsTransmitted() {
    return ring != null ? ring.segmentsWritten() : segmentsTransmitted.get();
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
    signalProgress();
  }
}
