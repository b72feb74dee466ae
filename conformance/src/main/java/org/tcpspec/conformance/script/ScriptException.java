package org.tcpspec.conformance.script;

/**
 * A script that is not in packetdrill's language, or says something impossible (a backwards time
 * range, inconsistent sequence numbers). The message starts with {@code file:line:column:}.
 */
public final class ScriptException extends Exception {
  private final transient Pos pos;
  private final String detail;

  public ScriptException(Pos pos, String detail) {
    super(pos + ": " + detail);
    this.pos = pos;
    this.detail = detail;
  }

  public Pos pos() {
    return pos;
  }

  /** The message without the position. */
  public String detail() {
    return detail;
  }
}
