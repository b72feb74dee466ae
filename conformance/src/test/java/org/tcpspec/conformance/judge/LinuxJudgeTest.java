package org.tcpspec.conformance.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.sut.JavaSut;
import org.tcpspec.spec.LinuxTraceStep;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;

/**
 * The judge of linux cells, on exchanges made without a kernel: the java stack's run of a passive
 * close is a behaviour of the model; the same exchange without the ACK of the peer's FIN leaves it
 * at that FIN, which RFC 9293 §3.10.7.4 has acknowledged at once. An orphan's RST that fails PAWS
 * is an unacceptable segment, answered with an ACK, not the end of the connection.
 */
class LinuxJudgeTest {
  private static final Path SCRIPT = Path.of("../packetdrill-scripts/close/passive-close.pkt");
  /** The script's line of the peer's FIN, and of the ACK that answers it. */
  private static final int FIN_LINE = 16;
  private static final int ACK_LINE = 17;

  @Test
  void aPassiveCloseIsABehaviourAndAnUnansweredFinIsNamed() throws Exception {
    RunResult run = Runner.runOne(SCRIPT, JavaSut.factory());
    assertTrue(run.verdict() instanceof Verdict.Pass, run.verdict().toString());
    PacketRecord ack = run.packets().stream().filter(p -> !p.inbound() && p.scriptLine() == ACK_LINE).findFirst()
        .orElseThrow();
    assertEquals(TcpFlags.ACK, ack.segment().flags() & (TcpFlags.ACK | TcpFlags.FIN | TcpFlags.SYN));
    List<PacketRecord> withoutAck = run.packets().stream().filter(p -> p != ack).toList();
    RunResult unanswered = new RunResult(run.script(), "linux", run.verdict(), run.wallMillis(), withoutAck);

    Map<String, LinuxJudge.Judgment> j = LinuxJudge.judge(List.of(
        new LinuxJudge.LinuxCell("answered", SCRIPT, run),
        new LinuxJudge.LinuxCell("unanswered", SCRIPT, unanswered)));

    assertEquals(new LinuxJudge.Judgment.Behaviour(7, Optional.empty()), j.get("answered"));
    LinuxJudge.Judgment.Leaves leaves = (LinuxJudge.Judgment.Leaves) j.get("unanswered");
    assertEquals(FIN_LINE, leaves.line());
    assertTrue(leaves.step().contains("EstablishedRcvFin in ESTABLISHED (passive)")
        && leaves.step().endsWith("answered none"), leaves.step());
  }

  /**
   * The judgment of java's run of the suite's {@code script} taken as if it were Linux's: for a
   * script whose java run matches Linux's, which it must pass.
   */
  private static LinuxJudge.Judgment judgeJavasPassingRun(String script) throws Exception {
    Path path = Path.of("../packetdrill-scripts", script);
    RunResult run = Runner.runOne(path, JavaSut.factory());
    assertTrue(run.verdict() instanceof Verdict.Pass, run.verdict().toString());
    return LinuxJudge.judge(List.of(new LinuxJudge.LinuxCell(script, path, run))).get(script);
  }

  @Test
  void anOrphansRstThatFailsPawsIsUnacceptable() throws Exception {
    // Linux's run of this script (java's matches it): the RST of line 34, TSval 119 below TS.Recent
    // 120, is answered with an ACK and the FIN of line 36 still finds the connection.
    LinuxJudge.Judgment j = judgeJavasPassingRun("close/fin-wait-2-orphan-paws-no-window.pkt");
    assertEquals(new LinuxJudge.Judgment.Behaviour(10, Optional.empty()), j);
  }

  @Test
  void anOldPureAckThatFailsPawsIsDroppedInSilence() throws Exception {
    // Linux's run of this script (java's matches it): the old ACKs of lines 31 and 43, TSval 200
    // below TS.Recent 310, get nothing; line 43 comes 600 ms after the last duplicate ACK, so only
    // the classifier's old ACK (a segment without ACK's row) lets the model answer none.
    LinuxJudge.Judgment j = judgeJavasPassingRun("options/paws-old-ack-dropped-silently.pkt");
    assertTrue(j instanceof LinuxJudge.Judgment.Behaviour, j.toString());
  }

  @Test
  void aStepThatLeavesTheModelSaysWhatTheModelAnswersAndWhy() {
    // close/time-wait-data-acked.pkt, line 21: text after the peer's FIN in TIME-WAIT.
    LinuxTraceStep data = new LinuxTraceStep.Event("time-wait-data-acked.pkt:21", 300, "<P. 2:12(10)",
        List.of(new LinuxTraceStep.Candidate("TIME-WAIT", true, "TimeWaitRcvData"),
            new LinuxTraceStep.Candidate("ESTABLISHED", true, "EstablishedRcvData")), "ack");
    assertEquals("<P. 2:12(10): TimeWaitRcvData in TIME-WAIT (passive) answers none (RFC 9293 §3.10.7.4 seventh: text"
        + " after the peer's FIN is ignored); Linux answered ack", LinuxJudge.describe(data, List.of("TIME-WAIT (passive)")));
    // rst/time-wait-rst-in-window-dropped.pkt, line 22: a RST in the window, not at RCV.NXT.
    LinuxTraceStep rst = new LinuxTraceStep.Event("time-wait-rst-in-window-dropped.pkt:22", 300, "<R. 12:12(0)",
        List.of(new LinuxTraceStep.Candidate("TIME-WAIT", true, "TimeWaitRcvRstInWindow")), "none");
    assertEquals("<R. 12:12(0): TimeWaitRcvRstInWindow in TIME-WAIT (passive) answers ack or data at once, none only"
        + " within 500 ms of the last such ACK (RFC 5961 §3.2: a challenge ACK); Linux answered none",
        LinuxJudge.describe(rst, List.of("TIME-WAIT (passive)")));
  }

  @Test
  void anExchangeWithTwoPeersIsNotJudged() throws Exception {
    RunResult run = Runner.runOne(SCRIPT, JavaSut.factory());
    // The last segment the peer sent comes from another port: a second connection.
    PacketRecord last = run.packets().reversed().stream().filter(PacketRecord::inbound).findFirst().orElseThrow();
    Segment s = last.segment();
    PacketRecord other = new PacketRecord(last.micros(), true, new Segment(s.srcIp(), s.dstIp(), s.srcPort() + 1,
        s.dstPort(), s.seq(), s.ack(), s.flags(), s.window(), s.urgentPointer(), s.options(), s.payload()),
        last.scriptLine());
    List<PacketRecord> packets = run.packets().stream().map(p -> p == last ? other : p).toList();
    RunResult two = new RunResult(run.script(), "linux", run.verdict(), run.wallMillis(), packets);
    LinuxJudge.Judgment j = LinuxJudge.judge(List.of(new LinuxJudge.LinuxCell("two", SCRIPT, two))).get("two");
    assertEquals(new LinuxJudge.Judgment.NotJudged("2 connections; the judge follows one"), j);
  }
}
