package org.tcpspec.conformance.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.judge.JavaTraces;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.sut.JavaSut;
import org.tcpspec.spec.TcbTraceStep;
import org.tcpspec.spec.TcbTraceValidation;
import org.tcpspec.spec.TcbTraceVerdict;
import org.tcpspec.trace.MemoryTrace;
import org.tcpspec.trace.TraceRecord;

/**
 * The java stack's traces of the suite, played once for both tests. The coverage in the reports
 * counts the actions a script's header names; the first test holds the headers to the truth. Every
 * suite script that passes on the java stack must make it take every action its header names (the
 * engine's trace records them), so a header cannot claim an arrow the script does not drive. The
 * second validates every record of every script's trace, known divergences included, down to the
 * TCB against spec/TcpTcbTrace.tla, in one TLC run.
 */
class HeaderActionsTest {

  private record Played(Path script, RunResult result, List<TraceRecord> trace) {}

  private static final List<Played> PLAYED = new ArrayList<>();

  @BeforeAll
  static void playTheSuiteOnJava() throws Exception {
    for (Path p : Runner.collect(List.of(SuiteTest.SUITE))) {
      MemoryTrace trace = new MemoryTrace();
      RunResult r = Runner.runOne(p, JavaSut.factory(trace));
      PLAYED.add(new Played(p, r, trace.records()));
    }
  }

  @Test
  void everyActionAHeaderNamesIsTakenWhenTheScriptRunsOnTheJavaStack() throws Exception {
    KnownDivergences known = KnownDivergences.load(Path.of("../reports/known-divergences"));
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Played played : PLAYED) {
      Path p = played.script();
      if (known.find(p.toString(), "java").isPresent()) continue;
      RunResult r = played.result();
      if (!(r.verdict() instanceof Verdict.Pass)) {
        problems.add(p + ": does not pass on java and is not a known divergence: " + r.verdict());
        continue;
      }
      Set<String> taken = new LinkedHashSet<>();
      for (TraceRecord t : played.trace()) taken.add(t.action());
      Set<String> missing = new TreeSet<>(ScriptHeader.read(p).actions());
      missing.removeAll(taken);
      if (!missing.isEmpty()) problems.add(p + ": names actions the java stack did not take: " + missing);
      checked++;
    }
    assertTrue(checked >= 60, "checked " + checked + " scripts");
    assertEquals(List.of(), problems);
  }

  @Test
  void everyRecordOfTheSuitesTracesIsAStepTheModelAllowsDownToTheTcb() throws Exception {
    SequencedMap<String, List<TcbTraceStep>> traces = new LinkedHashMap<>();
    int records = 0;
    for (Played played : PLAYED) {
      JavaTraces.addByConnection(traces, played.script() + " ", played.trace());
      records += played.trace().size();
    }
    assertTrue(records > 500, "only " + records + " records");
    assertEquals(new TcbTraceVerdict.Accepted(traces.size(), records), TcbTraceValidation.check(traces));
  }
}
