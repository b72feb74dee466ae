package org.tcpspec.conformance.differential;

/** Script text helpers shared by the stimulus and the expected script. */
final class Scripts {
  private Scripts() {}

  /** An absolute script time, "0.120" for 120 ms. */
  static String time(long millis) {
    return String.format("%d.%03d", millis / 1000, millis % 1000);
  }
}
