package org.tcpspec.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;

/**
 * The model judges observed traces with hidden states: a passive close is a behaviour, a challenge
 * ACK that never came is named (unless throttled), a timer may fire unobserved, and each trace gets
 * its own verdict.
 */
class LinuxTraceValidationTest {

  private static long now;

  /** An event 100 ms after the one before. */
  private static LinuxTraceStep.Event step(String where, String reply, LinuxTraceStep.Candidate... c) {
    now += 100;
    return new LinuxTraceStep.Event(where, now, where, List.of(c), reply);
  }

  private static LinuxTraceStep.Candidate c(String state, boolean passive, String action) {
    return new LinuxTraceStep.Candidate(state, passive, action);
  }

  /** listen, SYN, ACK, FIN: the peer closes first. */
  private static List<LinuxTraceStep> passiveOpenAndPeerFin(String finReply) {
    return List.of(
        step("listen", "any", c("CLOSED", false, "PASSIVE_OPEN")),
        step("S", "synack", c("LISTEN", true, "ListenRcvSyn")),
        step(".", "none", c("SYN-RECEIVED", true, "SynReceivedRcvAck")),
        step("F.", finReply, c("ESTABLISHED", true, "EstablishedRcvFin"), c("CLOSED", true, "ClosedRcvSegment")),
        new LinuxTraceStep.StateSeen("tcpi_state", now, "CLOSE-WAIT"));
  }

  @Test
  void eachTraceGetsItsVerdict() throws IOException {
    SequencedMap<String, List<LinuxTraceStep>> traces = new LinkedHashMap<>();
    traces.put("good", passiveOpenAndPeerFin("ack"));
    traces.put("fin not acknowledged", passiveOpenAndPeerFin("none"));
    // TIME-WAIT times out unobserved (TimeWaitTimeout) 61 s later, then a segment meets CLOSED;
    // 59 s is too early for that.
    for (long waitMs : new long[] {61_000, 59_000}) {
      now = 0;
      List<LinuxTraceStep> closeFirst = new java.util.ArrayList<>(List.of(
          step("connect", "any", c("CLOSED", false, "ACTIVE_OPEN")),
          step("S.", "ack", c("SYN-SENT", false, "SynSentRcvSynAck")),
          step("close", "any", c("ESTABLISHED", false, "CLOSE_ESTABLISHED")),
          step("F.", "ack", c("FIN-WAIT-1", false, "FinWait1RcvFinAckOfFin"))));
      now += waitMs;
      closeFirst.add(step(".", "rst", c("TIME-WAIT", false, "TimeWaitRcvUnacceptable"), c("CLOSED", false, "ClosedRcvSegment")));
      traces.put("hidden timer after " + waitMs + " ms", closeFirst);
    }
    // RFC 5961 §7 throttling: a challenge ACK may be left out 100 ms after the last one sent, not
    // 600 ms after it (the limit is 500 ms, Linux's tcp_invalid_ratelimit).
    for (long gapMs : new long[] {0, 500}) {
      now = 0;
      List<LinuxTraceStep> challenged = new java.util.ArrayList<>(List.of(
          step("listen", "any", c("CLOSED", false, "PASSIVE_OPEN")),
          step("S", "synack", c("LISTEN", true, "ListenRcvSyn")),
          step(".", "none", c("SYN-RECEIVED", true, "SynReceivedRcvAck")),
          step("S", "ack", c("ESTABLISHED", true, "EstablishedRcvSyn"))));
      now += gapMs;
      // A hidden timeout may have closed the connection meanwhile: CLOSED would answer with a RST.
      challenged.add(step("S", "none", c("ESTABLISHED", true, "EstablishedRcvSyn"), c("CLOSED", true, "ClosedRcvSegment")));
      traces.put("challenge left out after " + (gapMs + 100) + " ms", challenged);
    }
    Map<String, LinuxTraceValidation.Verdict> v = LinuxTraceValidation.check(traces);
    assertEquals(new LinuxTraceValidation.Verdict.Behaviour(5), v.get("good"));
    assertEquals(new LinuxTraceValidation.Verdict.Leaves(4, List.of("ESTABLISHED (passive)")), v.get("fin not acknowledged"));
    assertEquals(new LinuxTraceValidation.Verdict.Behaviour(5), v.get("hidden timer after 61000 ms"));
    assertEquals(new LinuxTraceValidation.Verdict.Leaves(5, List.of("TIME-WAIT")), v.get("hidden timer after 59000 ms"));
    assertEquals(new LinuxTraceValidation.Verdict.Behaviour(5), v.get("challenge left out after 100 ms"));
    LinuxTraceValidation.Verdict late = v.get("challenge left out after 600 ms");
    assertEquals(5, ((LinuxTraceValidation.Verdict.Leaves) late).record(), late.toString());
    assertTrue(((LinuxTraceValidation.Verdict.Leaves) late).states().contains("ESTABLISHED (passive)"), late.toString());
  }
}
