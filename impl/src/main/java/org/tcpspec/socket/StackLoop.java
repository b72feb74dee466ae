package org.tcpspec.socket;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.stack.Stack;
import org.tcpspec.wire.Segment;

/**
 * The event loop around one sans-IO stack for applications that want to block: every input,
 * timer run and socket call happens under one lock; a call that would block waits on a condition
 * that each step of the stack signals, then retries. Blocking is cheap on virtual threads. Output
 * segments go to the transmitter given at construction, outside no lock of any other loop.
 */
public final class StackLoop {
  private final Stack stack;
  private final SocketApi api;
  private final Consumer<Segment> transmitter;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition progressed = lock.newCondition();

  public StackLoop(Stack stack, Consumer<Segment> transmitter) {
    this.stack = stack;
    this.api = new SocketApi(stack);
    this.transmitter = transmitter;
  }

  public Stack stack() {
    return stack;
  }

  /** Feeds one inbound segment (from a device or a link). */
  public void input(Segment s) {
    step(() -> stack.input(s));
  }

  /** Runs the timers due on the stack's clock; call when {@link #nextDeadlineNanos()} has passed. */
  public void runTimers() {
    step(stack::runTimers);
  }

  public long nextDeadlineNanos() {
    lock.lock();
    try {
      return stack.nextDeadlineNanos();
    } finally {
      lock.unlock();
    }
  }

  /** A non-blocking socket call under the loop's lock. */
  public <T> SysResult<T> call(Function<SocketApi, SysResult<T>> call) {
    List<Segment> out;
    SysResult<T> r;
    lock.lock();
    try {
      r = call.apply(api);
      out = stack.drainOutput();
      progressed.signalAll();
    } finally {
      lock.unlock();
    }
    out.forEach(transmitter);
    return r;
  }

  /**
   * A blocking socket call: retried after every step of the stack until it no longer would
   * block. The wait is bounded so a lost signal cannot hang a caller for good.
   */
  public <T> SysResult<T> await(Function<SocketApi, SysResult<T>> call) throws InterruptedException {
    return await(call, 0);
  }

  /**
   * {@link #await(Function)} that gives up after {@code timeoutNanos} on the stack's clock (0: never)
   * with EAGAIN, as a Linux read under SO_RCVTIMEO does.
   */
  public <T> SysResult<T> await(Function<SocketApi, SysResult<T>> call, long timeoutNanos)
      throws InterruptedException {
    long deadline = timeoutNanos > 0 ? stack.clock().nowNanos() + timeoutNanos : Long.MAX_VALUE;
    while (true) {
      SysResult<T> r = call(call);
      if (r.errno() != Errno.EAGAIN) return r;
      if (stack.clock().nowNanos() >= deadline) return r;
      lock.lock();
      try {
        progressed.await(50, TimeUnit.MILLISECONDS);
      } finally {
        lock.unlock();
      }
    }
  }

  private void step(Runnable r) {
    List<Segment> out;
    lock.lock();
    try {
      r.run();
      out = stack.drainOutput();
      progressed.signalAll();
    } finally {
      lock.unlock();
    }
    out.forEach(transmitter);
  }
}
