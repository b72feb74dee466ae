package org.tcpspec.conformance.report;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tcpspec.conformance.suite.Requirements;

/** summary.md: the short form of a run for CI job pages, verdict first. */
public final class SummaryMarkdown {
  private SummaryMarkdown() {}

  public static String render(Report r, RunVerdict verdict) {
    StringBuilder b = new StringBuilder("# tcpspec conformance\n\n");
    b.append("**").append(verdict.passed() ? "PASSED" : "FAILED: " + String.join("; ", verdict.reasons())).append("**\n\n");
    for (String remark : verdict.remarks()) b.append("- ").append(remark).append('\n');
    if (!verdict.remarks().isEmpty()) b.append('\n');
    r.shard().ifPresent(s -> b.append("> Shard ").append(s).append(": one part of the scripts; tcpspec merge joins the"
        + " parts.\n\n"));
    for (String note : r.notes()) b.append("> Note: ").append(note).append("\n\n");
    b.append("| system | release | pass | fail | error | known divergence | stale entry | linux changed | unsupported"
        + " | n/a | wall time |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (SutRun run : r.sutRuns()) {
      b.append("| ").append(run.name()).append(" | ").append(run.release().orElse(""));
      for (Cell.Status s : Cell.Status.values()) b.append(" | ").append(r.count(run.name(), s));
      b.append(" | ").append(String.format("%.1f s", run.wallSeconds())).append(" |\n");
    }
    b.append('\n');
    r.tlc().ifPresent(models -> {
      b.append("## TLC\n\n| model | TLC found | manifest | distinct states | depth | time |\n|---|---|---|---|---|---|\n");
      for (ModelResult m : models) {
        b.append("| ").append(m.model()).append(" | ").append(m.outcome()).append(" | ").append(m.expectation())
            .append(" | ").append(m.distinctStates()).append(" | ").append(m.depth()).append(" | ")
            .append(String.format("%.1f s", m.seconds())).append(m.cached() ? " (cached)" : "").append(" |\n");
      }
      b.append('\n');
    });
    for (String sut : r.suts()) {
      r.cells().stream().filter(c -> c.result().sut().equals(sut) && c.status() == Cell.Status.NOT_AVAILABLE)
          .findFirst().ifPresent(c -> b.append("- `").append(sut).append("`: ")
              .append(c.message()).append(" (").append(r.count(sut, Cell.Status.NOT_AVAILABLE))
              .append(" cells)\n"));
    }
    boolean any = false;
    for (Cell c : r.cells()) {
      if (c.status() == Cell.Status.PASS || c.status() == Cell.Status.NOT_AVAILABLE) continue;
      if (!any) {
        b.append("## Not passing\n\n");
        any = true;
      }
      b.append("- **").append(c.status().word()).append("** `").append(c.result().sut()).append("` ")
          .append(c.result().script()).append(": ")
          .append(c.message().lines().findFirst().orElse("")).append('\n');
    }
    if (any) b.append('\n');
    if (!r.linuxJudgments().isEmpty()) {
      long behaviours = r.linuxJudgments().stream().filter(j -> j.kind() == LinuxJudgment.Kind.BEHAVIOUR).count();
      long judged = r.linuxJudgments().stream().filter(j -> j.kind() != LinuxJudgment.Kind.NOT_JUDGED).count();
      b.append("## The model judges Linux\n\n").append(behaviours).append(" of ").append(judged)
          .append(" judged linux cells are behaviours of TcpEndpoint (").append(r.linuxJudgments().size() - judged)
          .append(" not judged).\n\n");
      for (LinuxJudgment j : r.linuxJudgments()) {
        if (j.kind() != LinuxJudgment.Kind.BEHAVIOUR) b.append("- ").append(j.cellName()).append(": ").append(j.line()).append('\n');
      }
      b.append('\n');
    }
    String steps = ModelStepsSection.markdown(r);
    if (!steps.isEmpty()) b.append(steps).append('\n');
    LinuxDifferences kernels = LinuxDifferences.of(r);
    if (kernels.overKernels()) {
      b.append("## Where Linux versions differ\n\n").append(kernels.rows().size()).append(" scripts go differently on ")
          .append(String.join(", ", kernels.columns())).append(".\n\n");
      for (LinuxDifferences.Row row : kernels.rows()) {
        b.append("- ").append(row.script()).append(": ");
        b.append(String.join(", ", row.outcomes().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
        b.append('\n');
      }
      b.append('\n');
    }
    Coverage cov = Coverage.of(r);
    b.append("## Coverage\n\n");
    r.specActions().ifPresent(all -> {
      b.append("- TLA+ actions named by scripts: ").append(cov.coveredActions().size()).append(" of ")
          .append(all.size()).append('\n');
      Set<String> missing = new TreeSet<>(all);
      missing.removeAll(cov.coveredActions().keySet());
      b.append("- actions no script covers: ").append(String.join(", ", missing)).append('\n');
      items(b, "RFC 9293 Figure 5 arrows", Coverage.FIGURE_5, cov);
      items(b, "RFC 9293 §3.5.2 reset rules", Coverage.RESET_RULES, cov);
    });
    requirements(b, r, RequirementCoverage.of(r, Requirements.rfc9293()));
    return b.toString();
  }

  /** The systems' headlines, the counts per kind, and the MUSTs and SHLDs that are not met or not covered. */
  private static void requirements(StringBuilder b, Report r, RequirementCoverage cov) {
    if (!cov.anyScriptNamesALabel()) return;
    b.append("\n## RFC 9293 requirements\n\n");
    for (String sut : cov.suts()) b.append("- ").append(cov.headline(r, sut)).append('\n');
    b.append("\n| kind | in RFC 9293 | by scripts | by unit tests only | untestable | not covered |");
    for (String sut : cov.suts()) b.append(' ').append(sut).append(" meets | ").append(sut).append(" does not meet |");
    b.append("\n|---|---|---|---|---|---|").append("---|---|".repeat(cov.suts().size())).append('\n');
    for (RequirementCoverage.Counts c : cov.counts()) {
      b.append("| ").append(c.kind()).append(" | ").append(c.total()).append(" | ").append(c.byScripts()).append(" | ")
          .append(c.byUnitTestsOnly()).append(" | ").append(c.untestable()).append(" | ").append(c.uncovered()).append(" |");
      for (String sut : cov.suts()) b.append(' ').append(c.met().get(sut)).append(" | ").append(c.notMet().get(sut)).append(" |");
      b.append('\n');
    }
    b.append('\n');
    for (String sut : cov.suts()) {
      List<String> notMet = cov.rows().stream()
          .filter(row -> row.requirement().kind().compareTo(Requirements.Kind.SHLD) <= 0
              && row.verdicts().get(sut) == RequirementCoverage.Verdict.NOT_MET)
          .map(row -> row.requirement().label()).toList();
      if (!notMet.isEmpty()) b.append("- `").append(sut).append("` does not meet: ").append(String.join(", ", notMet)).append('\n');
    }
    List<String> uncovered = cov.rows().stream()
        .filter(row -> row.requirement().kind().compareTo(Requirements.Kind.SHLD) <= 0 && !row.covered()
            && row.requirement().untestable().isEmpty())
        .map(row -> row.requirement().label()).toList();
    if (!uncovered.isEmpty()) b.append("- MUSTs and SHLDs no script or unit test covers: ").append(String.join(", ", uncovered)).append('\n');
    if (!cov.unknownLabels().isEmpty()) {
      b.append("- labels RFC 9293 does not have: ").append(String.join(", ", cov.unknownLabels().keySet())).append('\n');
    }
  }

  private static void items(StringBuilder b, String what, List<Coverage.Item> items, Coverage cov) {
    long modelled = items.stream().filter(Coverage.Item::modelled).count();
    List<Coverage.Item> uncovered = cov.uncovered(items);
    b.append("- ").append(what).append(" covered: ").append(modelled - uncovered.size()).append(" of ")
        .append(modelled);
    if (!uncovered.isEmpty()) {
      b.append("; not covered: ").append(String.join("; ", uncovered.stream().map(Coverage.Item::name).toList()));
    }
    b.append('\n');
  }
}
