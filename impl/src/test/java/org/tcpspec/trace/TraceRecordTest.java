package org.tcpspec.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TraceRecordTest {
  @Test
  void ndjsonLineHasFixedKeysAndEscapes() throws Exception {
    StringWriter w = new StringWriter();
    try (NdjsonTraceWriter out = new NdjsonTraceWriter(w)) {
      out.record(new TraceRecord(5, "c\"1", "SynSentRcvSynAck", "SYN-SENT", "ESTABLISHED", "a\\b\n"));
    }
    assertEquals("{\"t\":5,\"conn\":\"c\\\"1\",\"action\":\"SynSentRcvSynAck\",\"from\":\"SYN-SENT\","
        + "\"to\":\"ESTABLISHED\",\"seg\":\"a\\\\b\\n\"}\n", w.toString());
  }
}
