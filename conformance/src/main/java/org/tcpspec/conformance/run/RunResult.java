package org.tcpspec.conformance.run;

import java.util.List;

/** One script on one system under test: the verdict, how long it took, and its packets. */
public record RunResult(
    String script, String sut, Verdict verdict, long wallMillis, List<PacketRecord> packets) {
  public RunResult {
    packets = List.copyOf(packets);
  }
}
