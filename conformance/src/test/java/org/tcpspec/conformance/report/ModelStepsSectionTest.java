package org.tcpspec.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.suite.KnownDivergences;

/**
 * The generated set's section and the model's judgments of linux cells: in index.html, summary.md
 * and results.json, read back and kept by a merge.
 */
class ModelStepsSectionTest {

  @TempDir Path tmp;

  private static final String DATA = "generated/established/active-EstablishedRcvData.pkt";
  private static final String TIME_WAIT = "generated/time-wait/active-TimeWaitRcvData.pkt";

  private static Report report() {
    KnownDivergences known = KnownDivergences.parse(
        "time-wait/active-TimeWaitRcvData.pkt | java | design: reviewed here\n");
    List<RunResult> results = List.of(
        new RunResult(DATA, "linux", new Verdict.Pass(), 1, List.of()),
        new RunResult(DATA, "java", new Verdict.Pass(), 1, List.of()),
        new RunResult(TIME_WAIT, "linux", new Verdict.Fail(TIME_WAIT + ":12: outbound packet: timing: late"), 1, List.of()),
        new RunResult(TIME_WAIT, "java", new Verdict.Fail(TIME_WAIT + ":12: outbound packet: timing: early"), 1, List.of()));
    ModelSteps steps = new ModelSteps(List.of(
        new ModelSteps.Step("ESTABLISHED[active] --EstablishedRcvData--> ESTABLISHED[active]", "ESTABLISHED",
            "EstablishedRcvData", DATA, ""),
        new ModelSteps.Step("TIME-WAIT[active] --TimeWaitRcvData--> TIME-WAIT[active]", "TIME-WAIT", "TimeWaitRcvData",
            TIME_WAIT, ""),
        new ModelSteps.Step("TIME-WAIT[active] --TimeWaitRcvAck--> TIME-WAIT[active]", "TIME-WAIT", "TimeWaitRcvAck", "",
            "the classifier never yields it")));
    List<LinuxJudgment> judgments = List.of(new LinuxJudgment("linux", DATA, LinuxJudgment.Kind.BEHAVIOUR, ""),
        new LinuxJudgment("linux", TIME_WAIT, LinuxJudgment.Kind.LEAVES, "line 12: TimeWaitRcvData in TIME-WAIT; Linux answered ack"));
    return new Report(results.stream().map(r -> Cell.judge(r, known)).toList(), Map.of(), Optional.empty(),
        List.of(new SutRun("linux", Optional.of("6.18.0"), 1, 0), new SutRun("java", Optional.empty(), 1, 0)),
        Optional.empty(), Optional.empty(), List.of(), judgments, Optional.of(steps));
  }

  @Test
  void theSectionCountsEachSystemGridsTheStepsAndGroupsTheDifferences() {
    Report r = report();
    String md = ModelStepsSection.markdown(r);
    assertTrue(md.contains("3 steps of TcpEndpoint's graph, 2 scripts, 1 steps without a script."), md);
    assertTrue(md.contains("- linux: 1 of 2 take the model's step; fail: 1"), md);
    assertTrue(md.contains("- java: 1 of 2 take the model's step; known divergence: 1"), md);
    assertTrue(md.contains("the model judges linux: 1 cells are behaviours of the model, 1 leave it, 0 not judged"), md);
    assertTrue(md.contains("linux 1/1, java 1/1"), md);
    assertTrue(md.contains("linux 0/1, java 0/1"), md);
    assertTrue(md.contains("1 × `linux (fail): outbound packet: timing: late`"), md);
    assertTrue(md.contains("not generated: the classifier never yields it"), md);
    String html = HtmlReport.render(r, RunVerdict.of(r, Allowances.NONE), Map.of());
    assertTrue(html.contains("<h2 id=\"model-steps\">Model steps</h2>"), html);
    assertTrue(html.contains("<table class=\"grid\" id=\"model-steps-grid\">"), html);
    assertTrue(html.contains("<h2 id=\"model-judges-linux\">The model judges Linux</h2>"), html);
    assertTrue(html.contains("leaves the model: line 12: TimeWaitRcvData in TIME-WAIT"), html);
    assertTrue(html.contains("The model: behaviour of the model"), "the linux ladder says what the model says: " + html);
    assertTrue(SummaryMarkdown.render(r, RunVerdict.of(r, Allowances.NONE)).contains("## Model steps"));
  }

  @Test
  void generatedScriptsStayOutOfTheSuitesCoverage() {
    Report r = report();
    Report named = new Report(r.cells(), Map.of(DATA, new org.tcpspec.conformance.suite.ScriptHeader("", java.util.Set.of(),
        java.util.Set.of("EstablishedRcvData"), "")), Optional.of(java.util.Set.of("EstablishedRcvData")), r.sutRuns(),
        Optional.empty(), Optional.empty(), List.of(), r.linuxJudgments(), r.modelSteps());
    assertTrue(Coverage.of(named).coveredActions().isEmpty(), "a generated header names its action by construction");
  }

  @Test
  void resultsJsonKeepsJudgmentsAndStepsAndAMergeKeepsThem() throws Exception {
    Report r = report();
    Path file = tmp.resolve(ResultsFile.NAME);
    ResultsFile.write(r, file);
    Report back = ResultsFile.read(file);
    assertEquals(r.linuxJudgments(), back.linuxJudgments());
    assertEquals(r.modelSteps(), back.modelSteps());
    Report merged = Merge.of(List.of(back), List.of("one"));
    assertEquals(r.linuxJudgments(), merged.linuxJudgments());
    assertEquals(r.modelSteps(), merged.modelSteps());
    assertEquals(ModelStepsSection.markdown(r), ModelStepsSection.markdown(merged));
  }
}
