package org.tcpspec.runtime;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.time.Clock;

/**
 * Application threads at the {@link EventLoop}'s stack: a call under the loop's lock, a wait until
 * the call can complete, and the signals from the loop that end a wait. A thread transmits what
 * its call produced itself, after letting go of the lock, and before it lets go takes what the loop
 * left in the backlog meanwhile (Linux's release_sock); it also writes what the loop queued while
 * it was inside the call ({@link TransmitPath#drainOnLoop}). One per loop.
 */
final class ApplicationCalls {
  private final LoopLock lock;
  private final SocketApi api;
  private final Clock clock;
  private final ReceivePath receive;
  private final TransmitPath transmit;
  /** Whether the loop still runs: a waiting thread gives up once it stopped. */
  private final BooleanSupplier running;
  /** Application threads waiting for any progress (accept, connect). */
  private final Condition progress;
  /** Application threads waiting for one socket to become ready (read, write); guarded by the lock. */
  private final List<Waiter> waiters = new ArrayList<>();

  ApplicationCalls(LoopLock lock, SocketApi api, Clock clock, ReceivePath receive, TransmitPath transmit,
      BooleanSupplier running) {
    this.lock = lock;
    progress = lock.newCondition();
    this.api = api;
    this.clock = clock;
    this.receive = receive;
    this.transmit = transmit;
    this.running = running;
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
  void signalLocked(int work) {
    if (work <= 0) return;
    if (lock.hasWaiters(progress)) progress.signalAll();
    for (int i = 0; i < waiters.size(); i++) {
      Waiter w = waiters.get(i);
      if (api.poll(w.fd, w.events) != 0) w.ready.signal();
    }
  }

  /** Wakes every waiting application thread (the loop stopped). */
  void signalProgress() {
    lock.lock();
    try {
      progress.signalAll();
      for (Waiter w : waiters) w.ready().signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * An application thread about to let go of the lock (or to wait on a condition, which does): it
   * first takes what the loop left in the backlog meanwhile, as a Linux process in release_sock,
   * transmits what that produced and wakes whoever it concerns. Returns how many packets it took.
   */
  private int processBacklogOnApplication() throws IOException {
    int n = receive.processBacklogLocked();
    if (n > 0) signalLocked(n + transmit.flushLocked());
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

  /** See {@link EventLoop#call}. */
  <T> T call(Function<SocketApi, T> call) throws IOException {
    transmit.applicationEnters();
    lock.lock();
    try {
      T result = call.apply(api);
      signalLocked(transmit.flushLocked());
      return result;
    } finally {
      try {
        unlockOnApplication();
      } finally {
        transmit.applicationLeaves();
      }
    }
  }

  /**
   * Repeats {@code attempt} until it no longer says "would block", waiting for the stack's
   * progress in between, and returns the last "would block" result once {@code timeoutNanos} (0:
   * never) passed on the loop's clock (SO_RCVTIMEO).
   *
   * @throws ClosedChannelException when the loop stopped while waiting
   */
  <T> T await(Function<SocketApi, T> attempt, Predicate<T> wouldBlock, long timeoutNanos)
      throws IOException, InterruptedException {
    long deadline = timeoutNanos > 0 ? clock.nowNanos() + timeoutNanos : Long.MAX_VALUE;
    transmit.applicationEnters();
    lock.lock();
    try {
      while (true) {
        T r = attempt.apply(api);
        signalLocked(transmit.flushLocked());
        if (!wouldBlock.test(r)) return r;
        if (!running.getAsBoolean()) throw new ClosedChannelException();
        long left = deadline - clock.nowNanos();
        if (left <= 0) return r;
        if (settleBeforeWait()) continue;
        awaitOutside(progress, Math.min(EventLoop.MAX_IDLE_NANOS, left));
      }
    } finally {
      try {
        unlockOnApplication();
      } finally {
        transmit.applicationLeaves();
      }
    }
  }

  /**
   * {@link #await(Function, Predicate, long)} for a call on socket {@code fd} that can complete
   * once it polls ready for {@code events} (POLLIN for a read, POLLOUT for a write): the thread is
   * woken only then, not on every cycle that did work. The timeout is read from the socket table
   * ({@code timeoutOf}, SO_RCVTIMEO) once the call would block. The first attempt, the timeout, the
   * waiter's registration and its wait happen in one hold of the lock, and the waiter is removed in
   * the hold whose attempt completes: every further hold is one the loop may have to leave a packet
   * in the backlog for (issue 15: a bulk reader that drains the buffer waits on every read; it took
   * the lock five times per read).
   */
  <T> T await(int fd, int events, Function<SocketApi, T> attempt, Predicate<T> wouldBlock,
      ToLongFunction<SocketApi> timeoutOf) throws IOException, InterruptedException {
    Waiter w = null;
    transmit.applicationEnters();
    lock.lock();
    try {
      long deadline = Long.MAX_VALUE;
      while (true) {
        T r = attempt.apply(api);
        signalLocked(transmit.flushLocked());
        if (!wouldBlock.test(r)) return r;
        if (!running.getAsBoolean()) throw new ClosedChannelException();
        if (w == null) {
          long timeout = timeoutOf.applyAsLong(api);
          if (timeout > 0) deadline = clock.nowNanos() + timeout;
          w = new Waiter(fd, events, lock.newCondition());
          waiters.add(w);
        }
        long left = deadline - clock.nowNanos();
        if (left <= 0) return r;
        if (settleBeforeWait()) continue;
        awaitOutside(w.ready(), Math.min(EventLoop.MAX_IDLE_NANOS, left));
      }
    } finally {
      if (w != null) waiters.remove(w);
      try {
        unlockOnApplication();
      } finally {
        transmit.applicationLeaves();
      }
    }
  }

  /**
   * Waits on {@code condition} (of the lock, held) for at most {@code nanos}, not counted inside a
   * call meanwhile: what the loop queues while this thread sleeps, the loop writes itself.
   */
  private void awaitOutside(Condition condition, long nanos) throws InterruptedException {
    transmit.applicationLeaves(); // nothing is queued: settleBeforeWait wrote it, and the lock is held
    try {
      condition.await(nanos, TimeUnit.NANOSECONDS);
    } finally {
      transmit.applicationEnters();
    }
  }

  /**
   * What a waiting application thread does before it sleeps, the lock held: what its attempt
   * queued goes out, without the lock (the stack may move meanwhile); else the packets the loop
   * left in the backlog are taken, which may be what the call waits for. True when either
   * happened: the attempt is then made again.
   */
  private boolean settleBeforeWait() throws IOException {
    if (transmit.pending()) {
      unlockOnApplication();
      try {
        transmit.drain();
      } finally {
        lock.lock();
      }
      return true;
    }
    return processBacklogOnApplication() > 0;
  }
}
