package org.tcpspec.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TraceRecordTest {
  @Test
  void ndjsonLineHasFixedKeysAndEscapes() throws Exception {
    StringWriter w = new StringWriter();
    try (NdjsonTraceWriter out = new NdjsonTraceWriter(w)) {
      out.record(new TraceRecord(5, "c\"1", "CLOSE_ESTABLISHED", "ESTABLISHED", "FIN-WAIT-1", "a\\b\n",
          Optional.empty(), TcbValues.NONE));
    }
    assertEquals("{\"t\":5,\"conn\":\"c\\\"1\",\"action\":\"CLOSE_ESTABLISHED\",\"from\":\"ESTABLISHED\","
        + "\"to\":\"FIN-WAIT-1\",\"seg\":\"a\\\\b\\n\",\"tcb\":{\"iss\":0,\"irs\":0,\"sndUna\":0,\"sndNxt\":0,"
        + "\"rcvNxt\":0,\"sndWnd\":0,\"sndWndShift\":0}}\n", w.toString());
  }

  @Test
  void sequenceNumbersAreUnsignedAndTheArrivalHasItsFields() {
    TraceRecord r = new TraceRecord(1, "c", "SynSentRcvSynAck", "SYN-SENT", "ESTABLISHED", "S. 0:0(0) ack 1",
        Optional.of(new SegmentFields(-1, 7, 0, 0x12, 65535)), new TcbValues(-2, -1, -1, -1, 0, 65535, 7));
    assertEquals("{\"t\":1,\"conn\":\"c\",\"action\":\"SynSentRcvSynAck\",\"from\":\"SYN-SENT\",\"to\":\"ESTABLISHED\","
        + "\"seg\":\"S. 0:0(0) ack 1\",\"in\":{\"seq\":4294967295,\"ack\":7,\"len\":0,\"flags\":18,\"win\":65535},"
        + "\"tcb\":{\"iss\":4294967294,\"irs\":4294967295,\"sndUna\":4294967295,\"sndNxt\":4294967295,\"rcvNxt\":0,"
        + "\"sndWnd\":65535,\"sndWndShift\":7}}", r.toJson());
    assertEquals(true, r.arrival().orElseThrow().syn() && r.arrival().orElseThrow().ackFlag());
  }
}
