package org.tcpspec.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TLC accepts a trace the model can take and names the first step of one it cannot. */
class TraceValidationTest {

  private static TraceStep step(String action, String from, String to) {
    return new TraceStep(action, from, to);
  }

  @Test
  void passiveOpenToCloseIsAccepted() throws IOException {
    List<TraceStep> trace =
        List.of(
            step("PASSIVE_OPEN", "CLOSED", "LISTEN"),
            step("ListenRcvSyn", "LISTEN", "SYN-RECEIVED"),
            step("SynReceivedRcvAck", "SYN-RECEIVED", "ESTABLISHED"),
            step("EstablishedRcvData", "ESTABLISHED", "ESTABLISHED"),
            step("EstablishedRcvData", "ESTABLISHED", "ESTABLISHED"),
            step("EstablishedRcvFin", "ESTABLISHED", "CLOSE-WAIT"),
            step("CLOSE_CLOSE_WAIT", "CLOSE-WAIT", "LAST-ACK"),
            step("LastAckRcvAckOfFin", "LAST-ACK", "CLOSED"));
    assertEquals(new TraceVerdict.Accepted(8), TraceValidation.check(trace));
  }

  @Test
  void aStepTheModelCannotTakeIsNamed() throws IOException {
    List<TraceStep> trace =
        List.of(
            step("ACTIVE_OPEN", "CLOSED", "SYN-SENT"),
            step("SynSentRcvSyn", "SYN-SENT", "SYN-RECEIVED"),
            // An actively opened connection does not fall back to LISTEN (RFC 9293 §3.10.7.4).
            step("SynReceivedRcvRstExact", "SYN-RECEIVED", "LISTEN"),
            step("CLOSE_LISTEN", "LISTEN", "CLOSED"));
    TraceVerdict v = TraceValidation.check(trace);
    if (!(v instanceof TraceVerdict.Rejected(int bad, String reason))) {
      throw new AssertionError("expected a rejection, got " + v);
    }
    assertEquals(3, bad);
    assertTrue(reason.contains("SynReceivedRcvRstExact"), reason);
  }

  @Test
  void fastOpenTracesOfServerAndClientAreAccepted() throws IOException {
    List<TraceStep> trace =
        List.of(
            // RFC 7413 §4.2.2: the SYN's text is taken in LISTEN, the handshake completes later.
            step("PASSIVE_OPEN", "CLOSED", "LISTEN"),
            step("ListenRcvSynFastOpen", "LISTEN", "SYN-RECEIVED"),
            step("SynReceivedRcvAck", "SYN-RECEIVED", "ESTABLISHED"),
            step("EstablishedRcvFin", "ESTABLISHED", "CLOSE-WAIT"),
            step("CLOSE_CLOSE_WAIT", "CLOSE-WAIT", "LAST-ACK"),
            step("LastAckRcvAckOfFin", "LAST-ACK", "CLOSED"),
            // A reset Fast Open connection closes: its user holds it already.
            step("PASSIVE_OPEN", "CLOSED", "LISTEN"),
            step("ListenRcvSynFastOpen", "LISTEN", "SYN-RECEIVED"),
            step("SynReceivedRcvRstExact", "SYN-RECEIVED", "CLOSED"),
            // The client: data with the SYN (RFC 7413 §3), however much of it the SYN-ACK acks.
            step("ACTIVE_OPEN_FAST_OPEN", "CLOSED", "SYN-SENT"),
            step("SynSentRcvSynAck", "SYN-SENT", "ESTABLISHED"),
            step("EstablishedRcvAck", "ESTABLISHED", "ESTABLISHED"),
            step("CLOSE_ESTABLISHED", "ESTABLISHED", "FIN-WAIT-1"),
            step("FinWait1RcvFinAckOfFin", "FIN-WAIT-1", "TIME-WAIT"),
            step("TimeWaitTimeout", "TIME-WAIT", "CLOSED"));
    assertEquals(new TraceVerdict.Accepted(15), TraceValidation.check(trace));
  }

  @Test
  void aFastOpenConnectionDoesNotFallBackToListen() throws IOException {
    List<TraceStep> trace =
        List.of(
            step("PASSIVE_OPEN", "CLOSED", "LISTEN"),
            step("ListenRcvSynFastOpen", "LISTEN", "SYN-RECEIVED"),
            step("SynReceivedRcvRstExact", "SYN-RECEIVED", "LISTEN"));
    TraceVerdict.Rejected r = (TraceVerdict.Rejected) TraceValidation.check(trace);
    assertEquals(3, r.firstBadStep());
    assertTrue(r.reason().contains("SynReceivedRcvRstExact"), r.reason());
  }

  @Test
  void aWrongActionNameIsRejectedAtItsStep() throws IOException {
    List<TraceStep> trace =
        List.of(
            step("PASSIVE_OPEN", "CLOSED", "LISTEN"),
            step("ListenRcvSynAck", "LISTEN", "SYN-RECEIVED"));
    assertEquals(2, ((TraceVerdict.Rejected) TraceValidation.check(trace)).firstBadStep());
  }

  @Test
  void aTraceWithAGapSaysWhere() throws IOException {
    List<TraceStep> trace =
        List.of(
            step("ACTIVE_OPEN", "CLOSED", "SYN-SENT"),
            step("EstablishedRcvFin", "ESTABLISHED", "CLOSE-WAIT"));
    TraceVerdict.Rejected r = (TraceVerdict.Rejected) TraceValidation.check(trace);
    assertEquals(2, r.firstBadStep());
    assertTrue(r.reason().contains("ended in SYN-SENT"), r.reason());
  }

  @Test
  void generatedModuleEscapesStrings() {
    String m = TraceValidation.dataModule(List.of(step("A\"B", "X\\", "Y")));
    assertTrue(m.contains("[action |-> \"A\\\"B\", from |-> \"X\\\\\", to |-> \"Y\"]"), m);
    assertTrue(m.startsWith("---- MODULE TcpTraceData ----"), m);
  }
}
