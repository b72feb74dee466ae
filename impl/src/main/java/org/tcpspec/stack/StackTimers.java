package org.tcpspec.stack;

import java.util.ArrayList;
import java.util.List;
import org.tcpspec.time.Clock;

/**
 * The timers of a {@link Stack}: each connection's (its TCB's deadlines) and each listener's SYN
 * queue's (SYN-ACK retransmissions), run when due and asked for the earliest deadline, walking
 * {@link ConnectionTable}'s lists by index. One per stack.
 */
final class StackTimers {
  private final Clock clock;
  private final List<Connection> live;
  private final List<Listener> listening;
  private final List<Connection> timerSnapshot = new ArrayList<>();

  StackTimers(Clock clock, ConnectionTable table) {
    this.clock = clock;
    this.live = table.live;
    this.listening = table.listening;
  }

  /** Runs every timer due at the clock's current time. */
  void runTimers() {
    long now = clock.nowNanos();
    // A timer may close its connection and so change the table: walk a snapshot, in a list kept
    // for the purpose so that a delayed ACK in bulk transfer allocates nothing.
    for (int i = 0; i < live.size(); i++) timerSnapshot.add(live.get(i));
    try {
      for (int i = 0; i < timerSnapshot.size(); i++) {
        Connection c = timerSnapshot.get(i);
        if (c.tcb.timers.next() <= now) c.onTimers(now);
      }
    } finally {
      timerSnapshot.clear();
    }
    for (int i = 0; i < listening.size(); i++) {
      Listener l = listening.get(i);
      if (l.synQueue.nextDeadlineNanos() > now) continue;
      for (HalfOpen h : l.synQueue.due(now)) h.onTimer(now);
    }
  }

  /** The earliest timer deadline of any connection, {@link Long#MAX_VALUE} when none runs. */
  long nextDeadlineNanos() {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < live.size(); i++) min = Math.min(min, live.get(i).tcb.timers.next());
    for (int i = 0; i < listening.size(); i++) min = Math.min(min, listening.get(i).synQueue.nextDeadlineNanos());
    return min;
  }
}
