package org.tcpspec.conformance.run;

import java.util.List;

/**
 * One script on one system under test: the verdict, how long it took, its packets, notes the
 * system under test made on the way (a setting it does not model: {@code config: <sysctl>}), and
 * {@code variant}, the address family the script ran in under {@code --variants} ("ipv6"), empty
 * otherwise; a script in several variants is a cell per variant.
 */
public record RunResult(
    String script, String sut, Verdict verdict, long wallMillis, List<PacketRecord> packets, List<String> notes,
    String variant) {
  public RunResult {
    packets = List.copyOf(packets);
    notes = List.copyOf(notes);
  }

  /** A result without notes, of a script run in no particular variant. */
  public RunResult(String script, String sut, Verdict verdict, long wallMillis, List<PacketRecord> packets) {
    this(script, sut, verdict, wallMillis, packets, List.of(), "");
  }

  /** A result without notes. */
  public RunResult(
      String script, String sut, Verdict verdict, long wallMillis, List<PacketRecord> packets, String variant) {
    this(script, sut, verdict, wallMillis, packets, List.of(), variant);
  }

  /** The cell's name: the script, and its variant in brackets ({@code x.pkt [ipv6]}) if any. */
  public String cellName() {
    return variant.isEmpty() ? script : script + " [" + variant + "]";
  }
}
