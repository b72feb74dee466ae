package org.tcpspec.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;

/**
 * The event loop's lock: a reentrant mutual-exclusion lock (as {@link
 * java.util.concurrent.locks.ReentrantLock}, non-fair) with one more way in for the loop's
 * thread, {@link #lockOnLoop()}, which neither queues nor burns a processor while an application
 * thread holds the lock.
 *
 * <p>Why (issue 15): a contended {@code ReentrantLock.lock()} allocates a queue node, which on the
 * loop's thread would be allocation per packet, so the loop used to spin 10,000 times and then
 * yield until the lock was free. On the 2-core VM, sending to the kernel at MTU 1500, the writing
 * application thread holds the lock for each write (a copy of up to 256 KB into the send buffer and
 * the segments it lets out), and the loop's spinning took a quarter of all the process's samples
 * ({@code perf record -a -g} during {@code tcpspec bench --mtu 1500 --rows 1}: 58 % of the loop's
 * samples were the spin in {@code doWork} and in what is now {@code ReceivePath.receivedNative}),
 * a processor the kernel's receiving thread needed. Here the loop spins briefly, then parks ({@link LockSupport}, which
 * allocates nothing) after saying so in {@link #parkedLoop}; whoever frees the lock, including a
 * {@link Condition#await} letting go of it, unparks the loop ({@link Sync#tryRelease}).
 */
final class LoopLock {
  /**
   * Busy tries before the loop parks: about the time of a short hold (a read or write of a few
   * kilobytes), less than a park and unpark cost in system calls.
   */
  static final int LOOP_SPINS = 500;
  /** Upper bound on one park, against any wake-up missed (none is known). */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Sync sync = new Sync();

  /** The loop's thread while it waits in {@link #lockOnLoop()}; null otherwise. */
  private volatile Thread parkedLoop;

  private final class Sync extends AbstractQueuedSynchronizer {
    boolean tryLock() {
      Thread me = Thread.currentThread();
      int c = getState();
      if (c == 0) {
        if (compareAndSetState(0, 1)) {
          setExclusiveOwnerThread(me);
          return true;
        }
      } else if (getExclusiveOwnerThread() == me) {
        setState(c + 1);
        return true;
      }
      return false;
    }

    @Override
    protected boolean tryAcquire(int acquires) {
      return tryLock();
    }

    /**
     * Frees the lock on the last release, and then unparks the loop if it waits for it: the
     * volatile write of the state before the volatile read of {@link #parkedLoop}, against the
     * loop's write of it before its next try, means one of the two sees the other.
     */
    @Override
    protected boolean tryRelease(int releases) {
      if (getExclusiveOwnerThread() != Thread.currentThread()) throw new IllegalMonitorStateException();
      int c = getState() - releases;
      boolean free = c == 0;
      if (free) setExclusiveOwnerThread(null);
      setState(c);
      if (free) {
        Thread loop = parkedLoop;
        if (loop != null) LockSupport.unpark(loop);
      }
      return free;
    }

    @Override
    protected boolean isHeldExclusively() {
      return getExclusiveOwnerThread() == Thread.currentThread();
    }

    ConditionObject newCondition() {
      return new ConditionObject();
    }
  }

  /** Takes the lock, queueing if it is held (application threads). */
  void lock() {
    sync.acquire(1);
  }

  boolean tryLock() {
    return sync.tryLock();
  }

  void unlock() {
    sync.release(1);
  }

  /**
   * Takes the lock on the loop's thread: spins {@link #LOOP_SPINS} times, then parks until the
   * holder lets go (never the lock's queue, whose node would be allocation per packet).
   */
  void lockOnLoop() {
    for (int i = 0; i < LOOP_SPINS; i++) {
      if (sync.tryLock()) return;
      Thread.onSpinWait();
    }
    Thread me = Thread.currentThread();
    while (true) {
      parkedLoop = me;
      if (sync.tryLock()) {
        parkedLoop = null;
        return;
      }
      LockSupport.parkNanos(this, MAX_PARK_NANOS);
    }
  }

  Condition newCondition() {
    return sync.newCondition();
  }

  /** Whether a thread waits on {@code condition}, which must be one of this lock's; the lock held. */
  boolean hasWaiters(Condition condition) {
    return sync.hasWaiters((AbstractQueuedSynchronizer.ConditionObject) condition);
  }
}
