package org.tcpspec.stack;

import java.util.Optional;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.Reaction;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.TransitionTable;

/**
 * The user's CLOSE (RFC 9293 §3.10.4) in the forms Linux gives it, each deciding from the state
 * what the table is asked: close() (tcp_close: a RST instead of a FIN when unread data would be
 * discarded, RFC 2525 §2.17, or SO_LINGER with a zero timeout; the orphaned FIN-WAIT-2's timer),
 * shutdown(SHUT_WR) (tcp_shutdown) and a listener's close (inet_csk_listen_stop). Split from Stack
 * so that its user side keeps only the one-line calls; Stack's Javadoc says what each call does.
 * One per stack.
 */
final class CloseCalls {
  private final Stack stack;

  CloseCalls(Stack stack) {
    this.stack = stack;
  }

  /** See {@link Stack#closeListener}. */
  void closeListener(Listener l) {
    for (HalfOpen h : l.synQueue.all()) h.abort();
    for (Connection child : l.allChildren()) stack.abort(child);
    l.clear();
    l.listening.user(Event.CLOSE);
  }

  /** See {@link Stack#shutdownWrite}. */
  Optional<Reaction> shutdownWrite(Connection c) {
    return switch (c.state()) {
      case SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT -> c.user(Event.CLOSE);
      case CLOSED, LISTEN, SYN_SENT, FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK, TIME_WAIT ->
          TransitionTable.instance().reaction(c.state(), Event.CLOSE);
    };
  }

  /** See {@link Stack#close}. */
  void close(Connection c) {
    c.orphaned = true;
    c.receiveShut = true;
    boolean discard = c.tcb.receiveBuffer.readable() > 0 || (c.options.lingerOn && c.options.lingerSeconds == 0);
    // Nobody reads any more: what is left unread gives its memory back.
    if (c.state() == State.CLOSED) c.tcb.receiveBuffer.clear();
    if (discard && c.state() != State.CLOSED) {
      c.tcb.receiveBuffer.clear();
      stack.abort(c);
      return;
    }
    switch (c.state()) {
      case LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT -> c.user(Event.CLOSE);
      // Linux tcp_close: an orphaned FIN-WAIT-2 connection lives at most tcp_fin_time, or, with
      // TCP_LINGER2 negative, is reset at once.
      case FIN_WAIT_2 -> {
        if (c.timeWait.finWait2Refused()) stack.abort(c);
        else c.timeWait.armFinWait2Timer();
      }
      case CLOSED, FIN_WAIT_1, CLOSING, LAST_ACK, TIME_WAIT -> {
        // Already closing or closed: nothing to send.
      }
    }
  }
}
