package org.tcpspec.fuzz;

/**
 * Something the fuzzer found: which invariant broke (or what was thrown), at which segment of the
 * run with which seed, and the packet that came last, so that the run can be replayed and the
 * finding turned into a test.
 *
 * @param seed the run's seed
 * @param segment the number of the adversarial segment after which the invariant was checked
 * @param kind the invariant's name, or "exception"
 * @param detail what was seen, with the connection's TCB
 * @param packetHex the last adversarial packet, as bytes
 */
public record Finding(long seed, long segment, String kind, String detail, String packetHex) {
  @Override
  public String toString() {
    return kind + " after segment " + segment + " (seed " + seed + "): " + detail + "\n  last packet: " + packetHex;
  }
}
