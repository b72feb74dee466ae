package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;

/**
 * The loop's lock excludes as a lock must, also for the loop's way in, which parks instead of
 * queueing: the loop gets the lock once the holder lets go, whether by unlock or by a
 * condition's await, and the holder's writes are visible to it.
 */
class LoopLockTest {
  @Test
  void loopWaitsForTheHolderAndSeesItsWrites() throws Exception {
    LoopLock lock = new LoopLock();
    long[] shared = new long[1];
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread app = Thread.ofPlatform().start(() -> {
      lock.lock();
      try {
        held.countDown();
        release.await();
        shared[0] = 42;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
    });
    held.await();
    assertFalse(lock.tryLock(), "held by the application thread");
    AtomicBoolean got = new AtomicBoolean();
    long[] seen = new long[1];
    Thread loop = Thread.ofPlatform().start(() -> {
      lock.lockOnLoop();
      try {
        seen[0] = shared[0];
        got.set(true);
      } finally {
        lock.unlock();
      }
    });
    loop.join(100); // it spins, then parks: it has not got the lock
    assertFalse(got.get(), "the loop got a lock another thread holds");
    release.countDown();
    loop.join(TimeUnit.SECONDS.toMillis(10));
    app.join();
    assertTrue(got.get(), "the loop never got the lock after its holder let go");
    assertEquals(42, seen[0], "the holder's write before unlock");
  }

  @Test
  void aConditionAwaitLetsTheLoopIn() throws Exception {
    LoopLock lock = new LoopLock();
    Condition ready = lock.newCondition();
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicBoolean woken = new AtomicBoolean();
    Thread app = Thread.ofPlatform().start(() -> {
      lock.lock();
      try {
        waiting.countDown();
        while (!woken.get()) ready.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
    });
    waiting.await();
    lock.lockOnLoop(); // the application thread waits on the condition: the lock is free
    try {
      assertTrue(lock.hasWaiters(ready), "the application thread waits on the condition");
      woken.set(true);
      ready.signalAll();
    } finally {
      lock.unlock();
    }
    app.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(app.isAlive(), "the signalled thread did not get the lock back");
  }

  @Test
  void reentrantForTheSameThread() {
    LoopLock lock = new LoopLock();
    lock.lockOnLoop();
    assertTrue(lock.tryLock(), "the holder takes it again");
    lock.unlock();
    lock.unlock();
    assertTrue(lock.tryLock(), "free after as many unlocks as locks");
    lock.unlock();
  }
}
