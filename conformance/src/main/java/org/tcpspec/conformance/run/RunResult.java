package org.tcpspec.conformance.run;

import java.util.List;

/**
 * One script on one system under test: the verdict, how long it took, its packets, and notes the
 * system under test made on the way (a setting it does not model: {@code config: <sysctl>}).
 */
public record RunResult(
    String script, String sut, Verdict verdict, long wallMillis, List<PacketRecord> packets, List<String> notes) {
  public RunResult {
    packets = List.copyOf(packets);
    notes = List.copyOf(notes);
  }

  /** A result without notes. */
  public RunResult(String script, String sut, Verdict verdict, long wallMillis, List<PacketRecord> packets) {
    this(script, sut, verdict, wallMillis, packets, List.of());
  }
}
