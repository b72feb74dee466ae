package org.tcpspec.conformance.script;

/** A place in a script: file name as given, 1-based line and column. */
public record Pos(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }

  /** {@code file:line}, the form failure messages use. */
  public String fileLine() {
    return file + ":" + line;
  }
}
