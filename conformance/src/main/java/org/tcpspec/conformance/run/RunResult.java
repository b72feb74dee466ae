package org.tcpspec.conformance.run;

import java.util.List;

/**
 * One script on one system under test: the verdict, how long it took, and its packets. {@code
 * variant} is the address family the script ran in under {@code --variants} ("ipv6"), empty
 * otherwise; a script in several variants is a cell per variant.
 */
public record RunResult(
    String script, String sut, Verdict verdict, long wallMillis, List<PacketRecord> packets,
    String variant) {
  public RunResult {
    packets = List.copyOf(packets);
  }

  public RunResult(String script, String sut, Verdict verdict, long wallMillis, List<PacketRecord> packets) {
    this(script, sut, verdict, wallMillis, packets, "");
  }

  /** The cell's name: the script, and its variant in brackets ({@code x.pkt [ipv6]}) if any. */
  public String cellName() {
    return variant.isEmpty() ? script : script + " [" + variant + "]";
  }
}
