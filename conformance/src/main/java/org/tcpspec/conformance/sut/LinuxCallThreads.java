package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.linux.DeadlineSleep;
import org.tcpspec.conformance.linux.KernelSockets;
import org.tcpspec.conformance.linux.ThreadPriority;
import org.tcpspec.conformance.run.CallOutput;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.conformance.run.SystemUnderTest.Pending;
import org.tcpspec.conformance.run.SystemUnderTest.Returned;

/**
 * The threads a {@link LinuxSut} run makes its system calls on: a call the script expects to block
 * goes to a call thread that waits for its time and makes it; a call expected to return at once is
 * made on the interpreter's thread, a watchdog breaking it off when it blocks instead.
 */
final class LinuxCallThreads {

  private final KernelCalls kernel;
  private final KernelSockets sockets;
  /** The run's clock, in microseconds. */
  private final LongSupplier nowMicros;
  private final ExecutorService calls;
  /**
   * When ({@link System#nanoTime()}) the call running on the interpreter's thread is to be broken
   * off, {@link #NO_CALL} when none runs (see {@link #callAtOnce}).
   */
  private final AtomicLong atOnceDeadline = new AtomicLong(NO_CALL);
  private static final long NO_CALL = Long.MIN_VALUE;
  /** How often the watchdog looks at {@link #atOnceDeadline}. */
  private static final long WATCHDOG_PERIOD_NANOS = 100_000_000L;
  /**
   * Breaks off a call that should have returned at once; started before the clock, since starting
   * a thread at the first call made it 0.3 ms late.
   */
  private final Thread watchdog;
  private volatile boolean closing;
  /** How long the interpreter waits for a call thread to pick up a blocking call. */
  private static final long ENTRY_WAIT_MILLIS = 100;

  /**
   * Starts a call thread (at real-time priority when {@code realTime}) with its call memory, so the
   * first socket call of the script is not delayed by the creation of either. The watchdog is made but not started ({@link
   * #startWatchdog}).
   */
  LinuxCallThreads(String namePrefix, boolean realTime, KernelSockets sockets, LongSupplier nowMicros) {
    this.sockets = sockets;
    this.kernel = new KernelCalls(sockets);
    this.nowMicros = nowMicros;
    this.calls = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(() -> {
        if (realTime) ThreadPriority.realTime();
        r.run();
      }, namePrefix + "-call");
      t.setDaemon(true);
      return t;
    });
    try {
      calls.submit(KernelSockets::prepareThread).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("starting the socket call thread", e);
    }
    // The watchdog keeps the normal policy of the thread opening the run: nothing is timed by it.
    this.watchdog = new Thread(this::watchdogLoop, namePrefix + "-watchdog");
    watchdog.setDaemon(true);
  }

  void startWatchdog() {
    watchdog.start();
  }

  /**
   * Hands the call to a call thread at once; that thread waits until {@code atMicros} and makes it,
   * so that waking it (up to milliseconds for an idle vCPU of this kind of VM) happens during the
   * wait, not after it.
   */
  Pending startAt(SocketCall call, long atMicros) {
    CompletableFuture<Long> entered = new CompletableFuture<>();
    CompletableFuture<Path> callThread = new CompletableFuture<>();
    CompletableFuture<Returned> f = CompletableFuture.supplyAsync(() -> {
      callThread.complete(threadSelf());
      try {
        DeadlineSleep.until(nowMicros, atMicros);
      } catch (InterruptedException e) {
        throw new IllegalStateException("socket call " + call + " interrupted before it started", e);
      }
      entered.complete(nowMicros.getAsLong());
      SysResult<CallOutput> r = kernel.perform(call);
      return new Returned(nowMicros.getAsLong(), r);
    }, calls);
    return new Pending() {
      @Override
      public Optional<Returned> await(long deadlineMicros) throws InterruptedException {
        long left = Math.max(0, deadlineMicros - nowMicros.getAsLong());
        try {
          return Optional.of(f.get(left, TimeUnit.MICROSECONDS));
        } catch (TimeoutException e) {
          return Optional.empty();
        } catch (ExecutionException e) {
          throw new IllegalStateException("socket call " + call + " failed", e.getCause());
        }
      }

      /**
       * Waits, yielding the CPU without sleeping, until the call thread, having entered the call,
       * sleeps in the kernel or the call returned, as packetdrill's enqueue_system_call does
       * (sched_yield and /proc/PID/task/TID/stat): by then what the call sends (a connect's SYN) is
       * on the wire, and the interpreter has not slept, so no wake-up of its own delays the
       * packets that follow.
       */
      @Override
      public long enteredMicros() {
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ENTRY_WAIT_MILLIS);
        while (!f.isDone() && !(entered.isDone() && isSleeping(callThread.getNow(null)))) {
          if (System.nanoTime() > giveUp) return -1;
          Thread.yield();
        }
        return entered.getNow(-1L);
      }
    };
  }

  /**
   * Runs the call on the interpreter's thread, as packetdrill runs a call it expects to return at
   * once on its main thread: no thread hand-off (a wake-up of an idle vCPU takes milliseconds on
   * this kind of VM) delays it or the packets it makes the kernel send. A call that blocks past
   * {@code limitMicros} is broken off by shutting this run's sockets down from the watchdog.
   */
  Optional<Returned> callAtOnce(SocketCall call, long limitMicros) {
    // A deadline in a field that the watchdog looks at now and then, rather than a timer task per
    // call: scheduling and cancelling one woke the timer thread twice per call, and those wake-ups
    // of another CPU added up over a script's calls (the relative times after them drift).
    long deadline = System.nanoTime() + limitMicros * 1000;
    atOnceDeadline.set(deadline);
    SysResult<CallOutput> r = kernel.perform(call);
    long returned = nowMicros.getAsLong();
    boolean onTime = atOnceDeadline.compareAndSet(deadline, NO_CALL);
    return onTime ? Optional.of(new Returned(returned, r)) : Optional.empty();
  }

  /** Shuts this run's sockets down when a call on the interpreter's thread is past its deadline. */
  private void watchdogLoop() {
    while (!closing) {
      LockSupport.parkNanos(WATCHDOG_PERIOD_NANOS);
      long deadline = atOnceDeadline.get();
      if (deadline != NO_CALL && System.nanoTime() - deadline > 0 && atOnceDeadline.compareAndSet(deadline, NO_CALL)) {
        sockets.shutdownAll();
      }
    }
  }

  /** The calling thread's /proc/PID/task/TID folder; null where /proc/thread-self is missing. */
  private static Path threadSelf() {
    try {
      return Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** Whether the thread is asleep (state S or D in its stat, after the command's parenthesis). */
  private static boolean isSleeping(Path thread) {
    if (thread == null) return false;
    try {
      String stat = Files.readString(thread.resolve("stat"));
      int close = stat.lastIndexOf(')');
      if (close < 0 || close + 2 >= stat.length()) return false;
      char state = stat.charAt(close + 2);
      return state == 'S' || state == 'D';
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the call threads and the watchdog. */
  void close() {
    closing = true;
    calls.shutdownNow();
    watchdog.interrupt();
  }
}
