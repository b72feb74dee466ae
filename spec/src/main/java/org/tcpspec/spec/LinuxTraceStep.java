package org.tcpspec.spec;

import java.util.List;

/**
 * One observed event of an implementation whose states are hidden, what spec/TcpLinuxTrace.tla
 * checks: an arriving segment or a user call with the actions it would be in each state, and the
 * answer seen; or a state read from the implementation.
 */
public sealed interface LinuxTraceStep {

  /** Where the event comes from, for people: e.g. the script line. */
  String where();

  /** When it happened, in milliseconds from the start of the trace. */
  long millis();

  /** The action a classifier and a table name for the event in {@code state} from {@code passive}. */
  record Candidate(String state, boolean passive, String action) {}

  /**
   * An arrival or a user call; {@code reply} is one of none, ack, data, rst, synack, syn (the first
   * segment sent in answer) or any (not observed, e.g. for a user call).
   */
  record Event(String where, long millis, String description, List<Candidate> candidates, String reply)
      implements LinuxTraceStep {
    public Event {
      candidates = List.copyOf(candidates);
    }
  }

  /** The implementation said it is in {@code state} (an RFC 9293 state name). */
  record StateSeen(String where, long millis, String state) implements LinuxTraceStep {}
}
