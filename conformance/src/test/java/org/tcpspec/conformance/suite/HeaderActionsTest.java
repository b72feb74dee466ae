package org.tcpspec.conformance.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.sut.JavaSut;
import org.tcpspec.trace.MemoryTrace;
import org.tcpspec.trace.TraceRecord;

/**
 * The coverage in the reports counts the actions a script's header names; this holds the headers
 * to the truth. Every suite script that passes on the java stack must make it take every action
 * its header names (the engine's trace records them), so a header cannot claim an arrow the
 * script does not drive.
 */
class HeaderActionsTest {

  @Test
  void everyActionAHeaderNamesIsTakenWhenTheScriptRunsOnTheJavaStack() throws Exception {
    KnownDivergences known = KnownDivergences.load(Path.of("../reports/known-divergences"));
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path p : Runner.collect(List.of(SuiteTest.SUITE))) {
      if (known.find(p.toString(), "java").isPresent()) continue;
      MemoryTrace trace = new MemoryTrace();
      RunResult r = Runner.runOne(p, JavaSut.factory(trace));
      if (!(r.verdict() instanceof Verdict.Pass)) {
        problems.add(p + ": does not pass on java and is not a known divergence: " + r.verdict());
        continue;
      }
      Set<String> taken = new LinkedHashSet<>();
      for (TraceRecord t : trace.records()) taken.add(t.action());
      Set<String> missing = new TreeSet<>(ScriptHeader.read(p).actions());
      missing.removeAll(taken);
      if (!missing.isEmpty()) problems.add(p + ": names actions the java stack did not take: " + missing);
      checked++;
    }
    assertTrue(checked >= 60, "checked " + checked + " scripts");
    assertEquals(List.of(), problems);
  }
}
