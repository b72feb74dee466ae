package org.tcpspec.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;

/**
 * TLC accepts TCB traces RFC 9293 §3.10.7 allows, across the 2^32 wrap, and names the first record
 * of one it does not.
 */
class TcbTraceValidationTest {

  /** Our ISS two below the wrap, so SND.NXT passes 2^32 during the connection. */
  private static final int ISS = -2;
  private static final int IRS = 5000;

  private static TcbTraceStep.Tcb tcb(int sndUna, int sndNxt, int rcvNxt, long sndWnd) {
    return new TcbTraceStep.Tcb(ISS, IRS, sndUna, sndNxt, rcvNxt, sndWnd, 0);
  }

  private static TcbTraceStep user(String action, String from, String to, TcbTraceStep.Tcb tcb) {
    return new TcbTraceStep(action, from, to, Optional.empty(), tcb);
  }

  private static TcbTraceStep arrival(
      String action, String from, String to, String flags, int seq, int ack, int len, TcbTraceStep.Tcb tcb) {
    TcbTraceStep.Segment s =
        new TcbTraceStep.Segment(
            seq, ack, len, flags.contains("S"), flags.contains("."), flags.contains("F"), flags.contains("R"), 1000);
    return new TcbTraceStep(action, from, to, Optional.of(s), tcb);
  }

  /**
   * A passive open, 100 bytes each way (ours sent between records, a hidden step), the peer's
   * FIN, our CLOSE and the ACK of our FIN.
   */
  private static List<TcbTraceStep> passiveConnection(int rcvNxtAfterFin) {
    return List.of(
        user("PASSIVE_OPEN", "CLOSED", "LISTEN", new TcbTraceStep.Tcb(0, 0, 0, 0, 0, 0, 0)),
        arrival("ListenRcvSyn", "LISTEN", "SYN-RECEIVED", "S", IRS, 0, 0, tcb(ISS, ISS + 1, IRS + 1, 1000)),
        arrival("SynReceivedRcvAck", "SYN-RECEIVED", "ESTABLISHED", ".", IRS + 1, ISS + 1, 0,
            tcb(ISS + 1, ISS + 1, IRS + 1, 1000)),
        user("SEND", "ESTABLISHED", "ESTABLISHED", tcb(ISS + 1, ISS + 1, IRS + 1, 1000)),
        arrival("EstablishedRcvData", "ESTABLISHED", "ESTABLISHED", ".", IRS + 1, ISS + 101, 100,
            tcb(ISS + 101, ISS + 101, IRS + 101, 1000)),
        arrival("EstablishedRcvFin", "ESTABLISHED", "CLOSE-WAIT", "F.", IRS + 101, ISS + 101, 0,
            tcb(ISS + 101, ISS + 101, rcvNxtAfterFin, 1000)),
        user("CLOSE_CLOSE_WAIT", "CLOSE-WAIT", "LAST-ACK", tcb(ISS + 101, ISS + 101, rcvNxtAfterFin, 1000)),
        arrival("LastAckRcvAckOfFin", "LAST-ACK", "CLOSED", ".", IRS + 102, ISS + 102, 0,
            tcb(ISS + 102, ISS + 102, rcvNxtAfterFin, 1000)));
  }

  private static SequencedMap<String, List<TcbTraceStep>> traces(List<TcbTraceStep> a, List<TcbTraceStep> b) {
    SequencedMap<String, List<TcbTraceStep>> m = new LinkedHashMap<>();
    m.put("first", a);
    m.put("second", b);
    return m;
  }

  @Test
  void aConnectionAcrossTheWrapIsAccepted() throws IOException {
    List<TcbTraceStep> good = passiveConnection(IRS + 102);
    assertEquals(new TcbTraceVerdict.Accepted(2, 16), TcbTraceValidation.check(traces(good, good)));
  }

  @Test
  void rcvNxtOneBeyondTheFinIsRejectedAtTheFin() throws IOException {
    TcbTraceVerdict v = TcbTraceValidation.check(traces(passiveConnection(IRS + 102), passiveConnection(IRS + 103)));
    TcbTraceVerdict.Rejected r = (TcbTraceVerdict.Rejected) v;
    assertEquals("second", r.trace());
    assertEquals(6, r.record(), r.reason());
    assertTrue(r.reason().contains("EstablishedRcvFin"), r.reason());
  }

  @Test
  void sndUnaMovingBackIsRejected() throws IOException {
    List<TcbTraceStep> bad = new ArrayList<>(passiveConnection(IRS + 102));
    // An ACK below SND.UNA must not move it back (§3.10.7.4: "If the ACK is a duplicate, ignore").
    bad.add(6, arrival("CloseWaitRcvDupAck", "CLOSE-WAIT", "CLOSE-WAIT", ".", IRS + 102, ISS + 50, 0,
        tcb(ISS + 50, ISS + 101, IRS + 102, 1000)));
    TcbTraceVerdict.Rejected r = (TcbTraceVerdict.Rejected) TcbTraceValidation.check(traces(bad, List.of()));
    assertEquals(7, r.record(), r.reason());
  }

  @Test
  void dataSentBeyondTheOfferedWindowIsRejected() throws IOException {
    List<TcbTraceStep> bad = new ArrayList<>(passiveConnection(IRS + 102));
    // The peer offered 1000 bytes: SND.NXT may reach SND.UNA + 1000 (and a FIN), not 1500 beyond.
    bad.set(4, arrival("EstablishedRcvData", "ESTABLISHED", "ESTABLISHED", ".", IRS + 1, ISS + 101, 100,
        tcb(ISS + 101, ISS + 1501, IRS + 101, 1000)));
    TcbTraceVerdict.Rejected r = (TcbTraceVerdict.Rejected) TcbTraceValidation.check(traces(bad, List.of()));
    assertEquals(5, r.record(), r.reason());
  }

  @Test
  void sequenceNumbersAreWrittenAsTwoHalves() {
    assertEquals("<<65535, 65534>>", TcbTraceValidation.seq(-2));
    assertEquals("<<0, 5000>>", TcbTraceValidation.seq(5000));
  }
}
