package org.tcpspec.conformance.profile;

import java.io.PrintStream;

/**
 * Where a cell's time goes between its events, for whoever makes the per-event path faster: with
 * {@code TCPSPEC_PROFILE} set ({@link PhaseProfile#ON}), the interpreter's thread marks each step
 * of an event (the tap's packet read, its parse, its check, an injected packet's build and write,
 * a call made and checked) with {@link System#nanoTime()} in a buffer of its own, and each cell
 * prints its marks at its end, one line per mark with the microseconds since the mark before.
 * Without the variable {@link #mark} returns at once; a mark is a constant string and a long
 * stored, so marking does not move the times it measures by more than a few tens of nanoseconds.
 */
public final class EventMarks {
  private EventMarks() {}

  private static final int CAPACITY = 4096;
  private static final PrintStream OUT = System.err;

  /** One thread's marks, oldest first; marks past {@link #CAPACITY} are dropped. */
  private static final class Buffer {
    final String[] what = new String[CAPACITY];
    final long[] nanos = new long[CAPACITY];
    int size;
  }

  private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

  /** Marks that the calling thread reached {@code what} now. */
  public static void mark(String what) {
    if (!PhaseProfile.ON) return;
    Buffer b = BUFFERS.get();
    if (b.size == CAPACITY) return;
    b.what[b.size] = what;
    b.nanos[b.size] = System.nanoTime();
    b.size++;
  }

  /** Prints the calling thread's marks under {@code cell} and forgets them. */
  public static void print(String cell) {
    if (!PhaseProfile.ON) return;
    Buffer b = BUFFERS.get();
    if (b.size == 0) return;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < b.size; i++) {
      long since = i == 0 ? 0 : (b.nanos[i] - b.nanos[i - 1]) / 1000;
      out.append("tcpspec-mark: ").append(cell).append(' ').append(String.format("%8d us  ", since))
          .append(b.what[i]).append('\n');
    }
    OUT.print(out);
    b.size = 0;
  }

  /** Forgets the calling thread's marks (a warm-up's). */
  public static void clear() {
    if (!PhaseProfile.ON) return;
    BUFFERS.get().size = 0;
  }
}
