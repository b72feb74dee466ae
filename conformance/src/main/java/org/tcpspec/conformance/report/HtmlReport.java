package org.tcpspec.conformance.report;

import static org.tcpspec.conformance.report.JUnitXml.esc;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tcpspec.conformance.suite.Requirements;

/**
 * index.html, one self-contained file that opens offline (inline CSS, SVG and a few lines of
 * script; nothing loaded from anywhere). In reading order: the verdict and the counts per system,
 * a switch that shows only what did not pass (also {@code index.html#not-passed}), notes, TLC as a
 * table, changes of Linux since a recorded baseline and differences between kernels when there are
 * any, the matrix of scripts by system, the coverage grid (states by events) with Figure 5 and
 * §3.5.2, RFC 9293's numbered requirements with each system's verdict ({@link HtmlRequirements}),
 * then per script its header and its ladders side by side ({@link HtmlScripts}).
 */
public final class HtmlReport {
  private HtmlReport() {}

  private static final String STYLE = """
      body{font-family:sans-serif;margin:1.5em;max-width:96em;color:#222}
      table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}
      .pass{background:#d9f2d9}.fail,.error,.stale{background:#f7d4d4}.known{background:#fbeccb}
      .changed{background:#e3dcf7}.unsupported,.na{background:#eee}
      pre{background:#f6f6f6;padding:6px;white-space:pre-wrap;margin:.3em 0}
      #verdict{font-size:1.4em;font-weight:bold;padding:.5em .8em;border-radius:4px;color:#fff}
      #verdict.passed{background:#2e7d32}#verdict.failed{background:#c62828}
      .remark{color:#4a2c91}.note{color:#555}
      .filter{margin:.8em 0;font-size:1.1em}
      nav a{margin-right:1em}
      .num{text-align:right}
      .ladders{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
      figure.ladder{margin:0;border:1px solid #ddd;padding:6px;max-width:580px}
      figure.ladder figcaption{font-weight:bold;margin-bottom:4px}
      section.script{border-top:2px solid #bbb;margin-top:1.5em}
      table.grid{font-size:11px}table.grid td,table.grid th{padding:1px 3px;text-align:center;min-width:1.6em}
      table.grid th.event{vertical-align:bottom;height:10em}table.grid th.event span{writing-mode:vertical-rl;transform:rotate(180deg)}
      table.grid th.user{background:#eef}table.grid th.timer{background:#fee}table.grid th.arrival{background:#efe}
      .cov.covered{background:#c8ecc8}.cov.uncovered{background:#f7d4d4}.cov.reaction{background:#eee}
      .cov details{display:inline}.cov details[open]{display:block;text-align:left;background:#fff;border:1px solid #999;padding:2px}
      .cov details a{display:block;white-space:nowrap}
      .badge{font-size:9px;background:#555;color:#fff;border-radius:3px;padding:0 2px;margin-left:2px}
      .unit{background:#e0ecf8}.untested{background:#fff}
      #requirements-table td:first-child{white-space:nowrap}#requirements-table .summary{min-width:24em}
      #requirements-table .tests{font-size:smaller}
      """;

  /** Hides what passed when the box is ticked or the address ends in #not-passed. */
  private static final String SCRIPT = """
      (function(){
        var box=document.getElementById('only-not-passed');
        function apply(){
          document.querySelectorAll('[data-passed=yes]').forEach(function(e){e.hidden=box.checked;});
          document.body.setAttribute('data-filter',box.checked?'not-passed':'all');
        }
        box.addEventListener('change',function(){
          apply();
          history.replaceState(null,'',box.checked?'#not-passed':location.pathname);
        });
        if(location.hash==='#not-passed')box.checked=true;
        apply();
      })();
      """;

  public static String render(Report r, RunVerdict verdict, Map<String, String> pcapLinks) {
    StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>tcpspec conformance: " + (verdict.passed() ? "PASSED" : "FAILED") + "</title>\n<style>\n"
        + STYLE + "</style></head><body data-filter=\"all\">\n" + Ladder.DEFS + "<h1>tcpspec conformance</h1>\n");
    b.append("<div id=\"verdict\" class=\"").append(verdict.passed() ? "passed" : "failed").append("\">")
        .append(esc(verdict.passed() ? "PASSED" : "FAILED: " + String.join("; ", verdict.reasons()))).append("</div>\n");
    for (String remark : verdict.remarks()) b.append("<p class=\"remark\">").append(esc(remark)).append("</p>\n");
    counts(b, r);
    long notPassed = r.scripts().stream().filter(s -> !allPassed(r, s)).count();
    b.append("<p class=\"filter\"><label><input type=\"checkbox\" id=\"only-not-passed\"> Show only the ")
        .append(notPassed).append(" of ").append(r.scripts().size())
        .append(" scripts with a cell that did not pass</label></p>\n");
    b.append("<nav><a href=\"#tlc\">TLC</a>")
        .append(r.linuxJudgments().isEmpty() ? "" : "<a href=\"#model-judges-linux\">The model judges Linux</a>")
        .append(r.modelSteps().isEmpty() ? "" : "<a href=\"#model-steps\">Model steps</a>")
        .append("<a href=\"#matrix\">Matrix</a><a href=\"#coverage\">Coverage</a>"
            + "<a href=\"#requirements\">RFC 9293 requirements</a><a href=\"#scripts\">Scripts</a></nav>\n");
    notPassing(b, r);
    r.shard().ifPresent(s -> b.append("<p class=\"note\"><b>Shard ").append(esc(s)).append(":</b> this report holds"
        + " one part of the scripts (by a hash of each script's name); tcpspec merge joins the parts.</p>\n"));
    for (String note : r.notes()) b.append("<p class=\"note\"><b>Note:</b> ").append(esc(note)).append("</p>\n");
    tlc(b, r);
    judgments(b, r);
    changes(b, r);
    kernels(b, r);
    b.append(ModelStepsSection.html(r));
    matrix(b, r);
    coverage(b, r);
    HtmlRequirements.render(b, r, RequirementCoverage.of(r, Requirements.rfc9293()));
    HtmlScripts.render(b, r, pcapLinks);
    return b.append("<script>\n").append(SCRIPT).append("</script>\n</body></html>\n").toString();
  }

  static boolean allPassed(Report r, String script) {
    return r.suts().stream().allMatch(sut -> r.cell(script, sut).map(c -> c.status() == Cell.Status.PASS).orElse(true));
  }

  static String css(Cell.Status s) {
    return switch (s) {
      case PASS -> "pass";
      case FAIL -> "fail";
      case ERROR -> "error";
      case KNOWN -> "known";
      case STALE -> "stale";
      case LINUX_CHANGED -> "changed";
      case UNSUPPORTED -> "unsupported";
      case NOT_AVAILABLE -> "na";
    };
  }

  private static void counts(StringBuilder b, Report r) {
    b.append("<table id=\"counts\"><tr><th>system</th><th>release</th>");
    for (Cell.Status s : Cell.Status.values()) b.append("<th class=\"").append(css(s)).append("\">").append(s.word()).append("</th>");
    b.append("<th>wall time</th></tr>\n");
    for (SutRun run : r.sutRuns()) {
      b.append("<tr><td>").append(esc(run.name())).append("</td><td>").append(esc(run.release().orElse("")))
          .append("</td>");
      for (Cell.Status s : Cell.Status.values()) b.append("<td class=\"num\">").append(r.count(run.name(), s)).append("</td>");
      b.append(String.format("<td class=\"num\">%.1f s</td></tr>%n", run.wallSeconds()));
    }
    b.append("</table>\n");
  }

  /** Every cell that did not pass, one line each with the first line of its message: what to read first. */
  private static void notPassing(StringBuilder b, Report r) {
    for (String sut : r.suts()) {
      r.cells().stream().filter(c -> c.result().sut().equals(sut) && c.status() == Cell.Status.NOT_AVAILABLE).findFirst()
          .ifPresent(c -> b.append("<p class=\"na\"><b>").append(esc(sut)).append("</b>: ").append(esc(c.message()))
              .append(" (").append(r.count(sut, Cell.Status.NOT_AVAILABLE)).append(" cells)</p>\n"));
    }
    List<Cell> cells = r.cells().stream()
        .filter(c -> c.status() != Cell.Status.PASS && c.status() != Cell.Status.NOT_AVAILABLE).toList();
    if (cells.isEmpty()) return;
    b.append("<h2 id=\"not-passing\">Did not pass</h2>\n<table><tr><th>script</th><th>system</th><th>verdict</th>"
        + "<th>why</th></tr>\n");
    for (Cell c : cells) {
      b.append("<tr><td><a href=\"#").append(Report.anchor(c.result().script(), c.result().sut())).append("\">")
          .append(esc(c.result().script())).append("</a></td><td>").append(esc(c.result().sut())).append("</td><td class=\"")
          .append(css(c.status())).append("\">").append(c.status().word()).append("</td><td>")
          .append(esc(c.message().lines().findFirst().orElse(""))).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void tlc(StringBuilder b, Report r) {
    b.append("<h2 id=\"tlc\">TLC</h2>\n");
    if (r.tlc().isEmpty()) {
      b.append("<p>TLC did not run (tcpspec run, or conform --no-tlc).</p>\n");
      return;
    }
    b.append("<table><tr><th>model</th><th>TLC found</th><th>manifest</th><th>distinct states</th><th>depth</th>"
        + "<th>time</th></tr>\n");
    for (ModelResult m : r.tlc().get()) {
      b.append("<tr class=\"").append(m.agrees() ? "" : "fail").append("\"><td>").append(esc(m.model())).append("</td><td>")
          .append(esc(m.outcome())).append("</td><td class=\"").append(m.agrees() ? "pass" : "fail").append("\">")
          .append(esc(m.expectation())).append("</td><td class=\"num\">").append(String.format("%,d", m.distinctStates()))
          .append("</td><td class=\"num\">").append(m.depth()).append("</td><td class=\"num\">")
          .append(String.format("%.1f s", m.seconds())).append(m.cached() ? " (cached)" : "").append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  /**
   * What the model says of the linux cells (LinuxJudge, spec/TcpLinuxTrace.tla): how many are
   * behaviours of TcpEndpoint, and each that leaves it or was not judged, with the step or reason.
   */
  private static void judgments(StringBuilder b, Report r) {
    if (r.linuxJudgments().isEmpty()) return;
    long behaviours = r.linuxJudgments().stream().filter(j -> j.kind() == LinuxJudgment.Kind.BEHAVIOUR).count();
    long judged = r.linuxJudgments().stream().filter(j -> j.kind() != LinuxJudgment.Kind.NOT_JUDGED).count();
    b.append("<h2 id=\"model-judges-linux\">The model judges Linux</h2>\n<p>").append(behaviours).append(" of ")
        .append(judged).append(" judged linux cells are behaviours of TcpEndpoint (")
        .append(r.linuxJudgments().size() - judged).append(" not judged). Each cell's exchange is mapped to the"
        + " classifier's events and checked by TLC against spec/TcpLinuxTrace.tla; a failed cell is judged up to"
        + " its failing line.</p>\n");
    List<LinuxJudgment> others = r.linuxJudgments().stream().filter(j -> j.kind() != LinuxJudgment.Kind.BEHAVIOUR).toList();
    if (others.isEmpty()) return;
    b.append("<table id=\"judgments-table\"><tr><th>linux cell</th><th>the model says</th></tr>\n");
    for (LinuxJudgment j : others) {
      b.append("<tr class=\"").append(j.kind() == LinuxJudgment.Kind.LEAVES ? "fail" : "na").append("\"><td><a href=\"#")
          .append(Report.anchor(j.script(), j.sut())).append("\">").append(esc(j.cellName())).append("</a></td><td>")
          .append(esc(j.line())).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void changes(StringBuilder b, Report r) {
    List<Cell> changed = r.cells().stream().filter(c -> c.change().isPresent()).toList();
    if (changed.isEmpty()) return;
    String since = changed.getFirst().change().orElseThrow().since();
    b.append("<h2 id=\"linux-changed\">Linux changed since ").append(esc(since)).append("</h2>\n<p>This kernel has no"
        + " recorded baseline; these linux cells went otherwise on ").append(esc(since))
        .append(" (reports/baselines/linux-").append(esc(since)).append(".tsv).</p>\n<table><tr><th>script</th><th>")
        .append(esc(since)).append("</th><th>here</th></tr>\n");
    for (Cell c : changed) {
      LinuxBaseline.Change ch = c.change().orElseThrow();
      b.append("<tr><td><a href=\"#").append(Report.scriptAnchor(c.result().script())).append("\">")
          .append(esc(c.result().script())).append("</a></td><td>").append(esc(ch.was().key())).append("</td><td class=\"")
          .append(css(c.status())).append("\">").append(esc(ch.now().key())).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void kernels(StringBuilder b, Report r) {
    LinuxDifferences d = LinuxDifferences.of(r);
    if (!d.overKernels()) return;
    b.append("<h2 id=\"kernels\">Where Linux versions differ</h2>\n<p>").append(d.rows().size())
        .append(" scripts go differently on ").append(esc(String.join(", ", d.columns()))).append(".</p>\n");
    if (d.rows().isEmpty()) return;
    b.append("<table><tr><th>script</th>");
    for (String c : d.columns()) b.append("<th>").append(esc(c)).append("</th>");
    b.append("</tr>\n");
    for (LinuxDifferences.Row row : d.rows()) {
      b.append("<tr><td><a href=\"#").append(Report.scriptAnchor(row.script())).append("\">").append(esc(row.script()))
          .append("</a></td>");
      for (String c : d.columns()) b.append("<td>").append(esc(d.outcome(row, c).orElse(""))).append("</td>");
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static void matrix(StringBuilder b, Report r) {
    b.append("<h2 id=\"matrix\">Matrix</h2>\n<table id=\"matrix-table\"><tr><th>script</th>");
    for (String sut : r.suts()) b.append("<th>").append(esc(sut)).append("</th>");
    b.append("</tr>\n");
    for (String script : r.scripts()) {
      b.append("<tr data-passed=\"").append(allPassed(r, script) ? "yes" : "no").append("\"><td><a href=\"#")
          .append(Report.scriptAnchor(script)).append("\">").append(esc(script)).append("</a></td>");
      for (String sut : r.suts()) {
        var cell = r.cell(script, sut);
        if (cell.isEmpty()) {
          b.append("<td></td>");
          continue;
        }
        b.append("<td class=\"").append(css(cell.get().status())).append("\"><a href=\"#")
            .append(Report.anchor(script, sut)).append("\">").append(cell.get().status().word()).append("</a></td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static void coverage(StringBuilder b, Report r) {
    Coverage cov = Coverage.of(r);
    b.append("<h2 id=\"coverage\">Coverage</h2>\n");
    r.specActions().ifPresent(all -> {
      long modelledArrows = Coverage.FIGURE_5.stream().filter(Coverage.Item::modelled).count();
      long modelledRules = Coverage.RESET_RULES.stream().filter(Coverage.Item::modelled).count();
      b.append("<p>").append(cov.coveredActions().size()).append(" of ").append(all.size())
          .append(" TLA+ actions are named by a script; Figure 5 arrows covered: ")
          .append(modelledArrows - cov.uncovered(Coverage.FIGURE_5).size()).append(" of ").append(modelledArrows)
          .append("; §3.5.2 reset rules covered: ").append(modelledRules - cov.uncovered(Coverage.RESET_RULES).size())
          .append(" of ").append(modelledRules).append(".</p>\n");
      b.append("<h3>States by events</h3>\n<p>Each cell is the transition table's rows for a state and an event"
          + " (hover for the actions); the number is how many scripts name one of them (click for the list). F5:"
          + " an arrow of RFC 9293 Figure 5; §3.5.2: a reset rule. Grey: no transition (a documented reaction).</p>\n");
      b.append(CoverageGrid.html(cov));
      Set<String> missing = new TreeSet<>(all);
      missing.removeAll(cov.coveredActions().keySet());
      if (!missing.isEmpty()) {
        b.append("<details><summary>").append(missing.size()).append(" actions no script names</summary><p>")
            .append(esc(String.join(", ", missing))).append("</p></details>\n");
      }
      items(b, "RFC 9293 Figure 5 (state diagram arrows)", Coverage.FIGURE_5, cov);
      items(b, "RFC 9293 §3.5.2 (reset generation)", Coverage.RESET_RULES, cov);
    });
  }

  private static void items(StringBuilder b, String title, List<Coverage.Item> items, Coverage cov) {
    b.append("<h3>").append(esc(title)).append("</h3>\n<table><tr><th>arrow or rule</th><th>actions</th>"
        + "<th>scripts</th></tr>\n");
    for (Coverage.Item item : items) {
      List<String> scripts = cov.scripts(item);
      String cell = !item.modelled() ? "na\">not in the model"
          : scripts.isEmpty() ? "fail\">none" : "pass\">" + links(scripts);
      b.append("<tr><td>").append(esc(item.name())).append("</td><td>")
          .append(esc(String.join(", ", item.actions()))).append("</td><td class=\"").append(cell)
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  /** Script links; more than three fold into "N scripts", opened on a click. */
  static String links(List<String> scripts) {
    String all = String.join(", ", scripts.stream()
        .map(s -> "<a href=\"#" + Report.scriptAnchor(s) + "\">" + esc(s) + "</a>").toList());
    return scripts.size() <= 3 ? all : "<details><summary>" + scripts.size() + " scripts</summary>" + all + "</details>";
  }
}
