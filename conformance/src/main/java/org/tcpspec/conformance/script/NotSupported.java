package org.tcpspec.conformance.script;

/**
 * Thrown inside an event when it uses a construct outside the supported subset; {@link Parser}
 * records it as {@link Unsupported} and resumes at the next event.
 */
final class NotSupported extends Exception {
  final transient Pos pos;
  final String feature;

  NotSupported(Pos pos, String feature) {
    super(feature, null, false, false);
    this.pos = pos;
    this.feature = feature;
  }
}
