package org.tcpspec.fsm;

/**
 * What happens for a (state, event) pair that is not a row: either a user call refused with an
 * error (RFC 9293 §3.10 "error: connection ..."), or an event the classifier or the timers never
 * produce in that state. Documented here so that no pair falls through silently.
 */
public sealed interface Reaction {
  String reason();

  /** A user call that is an error in this state; nothing changes. */
  record UserError(UserErrorKind kind, String reason) implements Reaction {}

  /** The classifier (or timer bookkeeping) cannot produce this event in this state. */
  record Unreachable(String reason) implements Reaction {}

  /** The RFC 9293 §3.10 user-call errors, mapped to errno by the socket layer. */
  enum UserErrorKind {
    /** "connection already exists" (§3.10.1). */
    ALREADY_EXISTS,
    /** "connection does not exist" (§3.10.2–§3.10.5). */
    DOES_NOT_EXIST,
    /** "connection closing" (§3.10.2, §3.10.4). */
    CLOSING
  }
}
