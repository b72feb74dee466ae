package org.tcpspec.conformance.run;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tcpspec.conformance.script.EventTime;
import org.tcpspec.conformance.script.Script;
import org.tcpspec.conformance.script.ScriptEvent;
import org.tcpspec.conformance.script.ShellCommand;
import org.tcpspec.conformance.script.Syscall;

/**
 * Cells of a system timed in real time play one at a time, except that a cell that waits on a
 * long timer lends its wait to the cells after it: while it sleeps (TIME-WAIT's 60 s, a keepalive
 * timer's 10 s, a retransmission's backoff), a cell may start if it will be over, by its script's
 * times and some setup, with a margin before the sleeper wakes. So no two cells ever act at once,
 * as on a real-time system they would disturb each other's timing (a late SYN when two cells ran
 * side by side on a 2-core VM, see {@code SuiteRun.jobsFor}), while the suite's wall time no
 * longer includes the long waits. A cell whose estimate was short overruns into the sleeper's
 * wake-up only by what it ran over its estimate plus the margin.
 */
public final class IdleOverlap {
  /** Waits shorter than this are not lent: a cell hardly fits in them. */
  static final long MIN_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
  /** Between the end of a lent cell's estimate and the sleeper's wake-up. */
  static final long MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  /** A cell's own time beyond its script's: the namespace, the device, teardown. */
  static final long SETUP_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
  /** What a shell line (a sysctl, a defaults.sh) may take. */
  static final long SHELL_NANOS = TimeUnit.MILLISECONDS.toNanos(150);

  /** A cell playing: when it sleeps until ({@link System#nanoTime()}), or {@link #ACTIVE}. */
  private final Map<Cell, Long> playing = new HashMap<>();

  private static final long ACTIVE = Long.MIN_VALUE;

  /** A cell's handle, for its interpreter to say when it sleeps. */
  public final class Cell {
    private Cell() {}

    /**
     * The cell will not act before {@code wakeNanos}, on {@link System#nanoTime()}'s clock; whether
     * that is far enough ahead to be lent (then the cell says when it {@link #wakes}).
     */
    public boolean sleepsUntil(long wakeNanos) {
      if (wakeNanos - System.nanoTime() < MIN_IDLE_NANOS) return false;
      set(this, wakeNanos);
      return true;
    }

    /** The cell acts again. */
    public void wakes() {
      set(this, ACTIVE);
    }

    /** The cell is over. */
    public void done() {
      synchronized (IdleOverlap.this) {
        playing.remove(this);
        IdleOverlap.this.notifyAll();
      }
    }
  }

  /** A handle for an interpreter not scheduled by this class: its sleeps are nobody's business. */
  public static final Cell NONE = new IdleOverlap().new Cell();

  private synchronized void set(Cell c, long state) {
    if (c == NONE) return;
    if (playing.containsKey(c)) playing.put(c, state);
    notifyAll();
  }

  /**
   * Waits until a cell estimated to take {@code estimateNanos} can start: nothing plays, or all
   * that plays sleeps past its end and the margin. Returns its handle.
   */
  public synchronized Cell admit(long estimateNanos) throws InterruptedException {
    while (true) {
      long now = System.nanoTime();
      long soonest = Long.MAX_VALUE;
      boolean fits = true;
      for (long wake : playing.values()) {
        if (wake == ACTIVE || wake - now < estimateNanos + MARGIN_NANOS) fits = false;
        if (wake != ACTIVE) soonest = Math.min(soonest, wake);
      }
      if (fits) {
        Cell c = new Cell();
        playing.put(c, ACTIVE);
        return c;
      }
      // Woken when a cell sleeps, wakes or ends; a sleeper's window only shrinks meanwhile.
      wait(soonest == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(soonest - now)));
    }
  }

  /**
   * How long a script will take: its events' times (a relative time after the one before, a
   * range at its end, a blocking call's end) and a little for its setup and shell lines.
   */
  public static long estimateNanos(Script script) {
    long t = 0;
    long last = 0;
    int shells = 0;
    for (ScriptEvent e : script.events()) {
      t = switch (e.time()) {
        case EventTime.Absolute a -> a.micros();
        case EventTime.Relative r -> t + r.micros();
        case EventTime.AnyTime a -> t;
        case EventTime.AbsoluteRange r -> r.toMicros();
        case EventTime.RelativeRange r -> t + r.toMicros();
      };
      last = Math.max(last, t);
      if (e.action() instanceof Syscall s && s.endMicros().isPresent()) last = Math.max(last, t + s.endMicros().getAsLong());
      if (e.action() instanceof ShellCommand) shells++;
    }
    if (script.initCommand().isPresent()) shells++;
    if (script.cleanupCommand().isPresent()) shells++;
    return TimeUnit.MICROSECONDS.toNanos(last) + SETUP_NANOS + shells * SHELL_NANOS;
  }
}
