package org.tcpspec.stack;

import java.util.Optional;
import org.tcpspec.fsm.Reaction;

/** The result of a user call on a connection: a count, or the table's documented refusal. */
public record CallResult(int value, Optional<Reaction> refusal) {
  static CallResult ok(int value) {
    return new CallResult(value, Optional.empty());
  }

  static CallResult refused(Reaction r) {
    return new CallResult(-1, Optional.of(r));
  }

  public boolean ok() {
    return refusal.isEmpty();
  }
}
