package org.tcpspec.conformance.run;

import org.tcpspec.conformance.script.Pos;

/**
 * Raised inside the interpreter when the system under test differs from the script. The message
 * is what the report prints: {@code file:line: what: expected X vs actual Y}.
 */
final class ScriptFailure extends Exception {
  enum Kind {
    FAIL,
    ERROR,
    UNSUPPORTED
  }

  final Kind kind;

  ScriptFailure(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  static ScriptFailure fail(Pos pos, String message) {
    return new ScriptFailure(Kind.FAIL, pos.fileLine() + ": " + message);
  }

  static ScriptFailure error(Pos pos, String message) {
    return new ScriptFailure(Kind.ERROR, pos.fileLine() + ": " + message);
  }

  static ScriptFailure unsupported(String feature) {
    return new ScriptFailure(Kind.UNSUPPORTED, feature);
  }
}
