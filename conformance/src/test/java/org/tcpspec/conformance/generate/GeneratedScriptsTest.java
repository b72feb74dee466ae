package org.tcpspec.conformance.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.judge.JavaTraces;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.suite.ScriptHeader;
import org.tcpspec.conformance.sut.JavaSut;
import org.tcpspec.fsm.Action;
import org.tcpspec.spec.ModelStep;
import org.tcpspec.spec.TcbTraceStep;
import org.tcpspec.spec.TcbTraceValidation;
import org.tcpspec.spec.TcbTraceVerdict;
import org.tcpspec.trace.MemoryTrace;

/**
 * The model's scripts: one per step of TcpEndpoint's graph, every action named, the same bytes
 * twice, and every one passes on the java stack (it is the model's own behaviour, the table's).
 */
class GeneratedScriptsTest {

  private static List<ModelScripts.Generated> generated;
  private static Set<ModelStep> steps;

  @BeforeAll
  static void generate() throws IOException {
    steps = org.tcpspec.spec.StateGraph.tcpEndpointSteps();
    generated = ModelScripts.generate(steps);
  }

  @Test
  void oneEntryPerDistinctStepAndEveryActionHasAScript() {
    assertEquals(steps.size(), generated.size());
    Set<String> scripted = generated.stream().filter(ModelScripts.Generated::isScript)
        .map(g -> g.step().action()).collect(Collectors.toCollection(TreeSet::new));
    Set<String> missing = new TreeSet<>();
    for (Action a : Action.values()) if (!scripted.contains(a.name())) missing.add(a.name());
    // The two rows of the model the classifier never yields (RowCoverageTest argues them).
    assertEquals(Set.of("FinWait2RcvAck", "TimeWaitRcvAck"), missing);
  }

  @Test
  void theSameModelGivesTheSameBytes() {
    assertEquals(generated, ModelScripts.generate(steps));
  }

  /**
   * Scripts that do not pass on the java stack, left for review (the test fails when one passes,
   * so the entry gets removed). SYN-SENT's give-up: the probe's expected {@code R 1:1(0)} is met by
   * a RST the stack sends at 2.0 s, when it gives up (tcp_syn_retries=1), instead of at the probe;
   * the row SynSentTimeout ([SIGNAL_TIMEOUT, DELETE_TCB]) lists no RST. The linux run fails the
   * same line the same way, so whether the stack or the runner's SYN-SENT handling is at fault is
   * not settled.
   *
   * <p>The other four return a passive connection to LISTEN (or reopen TIME-WAIT) and then expect
   * a second SYN-ACK from the same socket with sequence number 0. Since the runner maps sequence
   * numbers as packetdrill's run_packet.c does (the local ISN is learned once per socket, and a
   * reopened TIME-WAIT's ISN is the old SND.NXT + 65535 + 2), the fresh ISN of that SYN-ACK is not
   * learned again: these steps need a probe packetdrill can express (a new remote port, or
   * tcpi_state) — the generator's to fix.
   */
  private static final Set<String> JAVA_LEAVES_THE_MODEL = Set.of(
      "syn-sent/active-SynSentTimeout-to-closed.pkt",
      "syn-received/passive-SynReceivedTimeout-to-listen.pkt",
      "syn-received/passive-SynReceivedRcvRstExact-to-listen.pkt",
      "syn-received/passive-SynReceivedRcvSyn-to-listen.pkt",
      "time-wait/passive-TimeWaitRcvNewSyn-to-syn-received.pkt");

  /**
   * Every generated script passes on the java stack (but the listed ones), and the traces of all of
   * them are accepted down to the TCB by spec/TcpTcbTrace.tla, in one TLC run.
   */
  @Test
  void everyScriptCarriesTheSuiteHeaderAndPassesOnTheJavaStack(@TempDir Path dir) throws IOException {
    ModelScripts.write(generated, dir);
    List<String> failures = new ArrayList<>();
    SequencedMap<String, List<TcbTraceStep>> traces = new LinkedHashMap<>();
    int records = 0;
    for (ModelScripts.Generated g : generated) {
      if (!g.isScript()) continue;
      Path p = dir.resolve(g.file());
      ScriptHeader h = ScriptHeader.read(p);
      if (!h.problems().isEmpty()) failures.add(g.file() + ": " + h.problems());
      if (!h.actions().contains(g.step().action())) failures.add(g.file() + ": header lacks " + g.step().action());
      MemoryTrace trace = new MemoryTrace();
      RunResult r = Runner.runOne(p, JavaSut.factory(trace));
      JavaTraces.addByConnection(traces, g.file() + " ", trace.records());
      records += trace.records().size();
      boolean pass = r.verdict() instanceof Verdict.Pass;
      if (pass == JAVA_LEAVES_THE_MODEL.contains(g.file())) {
        failures.add(g.file() + ": " + (pass ? "passes now: remove it from JAVA_LEAVES_THE_MODEL" : r.verdict()));
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + generated.size() + ":\n"
        + String.join("\n", failures));
    assertEquals(new TcbTraceVerdict.Accepted(traces.size(), records), TcbTraceValidation.check(traces));
  }
}
