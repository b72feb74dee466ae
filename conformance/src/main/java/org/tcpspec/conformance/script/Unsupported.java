package org.tcpspec.conformance.script;

/** A construct of packetdrill's language that this runner parses past but does not run. */
public record Unsupported(Pos pos, String feature) {
  @Override
  public String toString() {
    return "unsupported: " + feature + " (" + pos.fileLine() + ")";
  }
}
