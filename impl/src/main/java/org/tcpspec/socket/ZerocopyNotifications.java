package org.tcpspec.socket;

import static org.tcpspec.wire.SeqNum.le;

import java.util.ArrayDeque;

/**
 * MSG_ZEROCOPY's completion notifications (Linux msg_zerocopy, Documentation/networking/
 * msg_zerocopy.rst): each zerocopy send gets the next 32-bit id; when the peer has acknowledged all
 * its bytes, the kernel frees the buffers and queues [id, id] on the socket's error queue, extending
 * the notification still queued when the ids follow on (__msg_zerocopy_callback). Our stack always
 * copies, so every notification says SO_EE_CODE_ZEROCOPY_COPIED. Completions are taken when the
 * queue is read, which merges the same ranges as Linux merges them when nothing read in between.
 */
final class ZerocopyNotifications {
  /** A send not yet acknowledged: its id and the sequence number after its last byte. */
  private record Pending(int id, int end) {}

  /** A notification on the error queue: ids lo..hi. */
  record Range(int lo, int hi) {}

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final ArrayDeque<Range> queued = new ArrayDeque<>();
  private int nextId;
  private int completions;

  /** A zerocopy send whose bytes end before {@code end} was accepted. */
  void sent(int end) {
    pending.add(new Pending(nextId++, end));
  }

  /** The oldest notification, once what SND.UNA acknowledges is completed; null when none. */
  Range take(int sndUna) {
    complete(sndUna);
    return queued.poll();
  }

  /** Whether a notification waits (poll's POLLERR). */
  boolean ready(int sndUna) {
    complete(sndUna);
    return !queued.isEmpty();
  }

  /**
   * How many sends have completed so far, once what SND.UNA acknowledges is completed: each is an
   * sk_error_report, merged into the notification before it or not (__msg_zerocopy_callback).
   */
  int completions(int sndUna) {
    complete(sndUna);
    return completions;
  }

  private void complete(int sndUna) {
    while (!pending.isEmpty() && le(pending.peek().end(), sndUna)) {
      completions++;
      int id = pending.poll().id();
      Range last = queued.peekLast();
      if (last != null && last.hi() + 1 == id) {
        queued.pollLast();
        queued.add(new Range(last.lo(), id));
      } else {
        queued.add(new Range(id, id));
      }
    }
  }
}
