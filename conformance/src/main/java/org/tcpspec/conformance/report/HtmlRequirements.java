package org.tcpspec.conformance.report;

import static org.tcpspec.conformance.report.JUnitXml.esc;

import java.util.List;
import java.util.Map;
import org.tcpspec.conformance.report.RequirementCoverage.Counts;
import org.tcpspec.conformance.report.RequirementCoverage.Row;
import org.tcpspec.conformance.report.RequirementCoverage.Verdict;
import org.tcpspec.conformance.suite.Requirements.Requirement;

/**
 * The requirements part of index.html: one line per system (how many testable MUSTs and SHLDs it
 * meets), the counts per kind (covered by scripts, by unit tests only, untestable, not covered;
 * met and not met per system), then every numbered requirement of RFC 9293, MUSTs first, with
 * its section, category, our summary, the scripts that check it, the unit tests, and each
 * system's verdict. Rows met or untestable everywhere carry {@code data-passed="yes"}, so the
 * report's "only what did not pass" switch leaves the open ones.
 */
final class HtmlRequirements {
  private HtmlRequirements() {}

  static void render(StringBuilder b, Report r, RequirementCoverage cov) {
    b.append("<h2 id=\"requirements\">RFC 9293 requirements</h2>\n");
    if (!cov.anyScriptNamesALabel()) {
      b.append("<p>No script names a requirement label of RFC 9293 (MUST-n, SHLD-n, MAY-n) in its header.</p>\n");
      return;
    }
    b.append("<ul id=\"requirement-headlines\">\n");
    for (String sut : cov.suts()) b.append("<li>").append(esc(cov.headline(r, sut))).append("</li>\n");
    b.append("</ul>\n<p>A system meets a requirement when every cell it has of the scripts naming the label passed;"
        + " it does not meet it when one failed or is a known divergence; not run: it could not play them"
        + " (unsupported, not available). Unit tests check the java stack in"
        + " <code>mvn verify</code>, not in this run. Untestable: nothing outside the implementation can show it"
        + " (the reason is in the row).</p>\n");
    counts(b, cov);
    if (!cov.unknownLabels().isEmpty()) {
      b.append("<p class=\"fail\">Labels RFC 9293 does not have: ");
      cov.unknownLabels().forEach((label, scripts) -> b.append(esc(label)).append(" (")
          .append(esc(String.join(", ", scripts))).append(") "));
      b.append("</p>\n");
    }
    b.append("<table id=\"requirements-table\"><tr><th>label</th><th>§</th><th>category</th><th>requirement (our words)"
        + "</th><th>scripts</th><th>unit tests</th>");
    for (String sut : cov.suts()) b.append("<th>").append(esc(sut)).append("</th>");
    b.append("</tr>\n");
    for (Row row : cov.rows()) {
      Requirement q = row.requirement();
      b.append("<tr id=\"req-").append(q.label()).append("\" data-passed=\"").append(row.settled() ? "yes" : "no")
          .append("\"><td>").append(q.label()).append("</td><td>").append(esc(q.section())).append("</td><td>")
          .append(esc(q.category())).append("</td><td class=\"summary\">").append(esc(q.summary()));
      q.untestable().ifPresent(why -> b.append("<br><i>untestable: ").append(esc(why)).append("</i>"));
      b.append("</td><td>").append(HtmlReport.links(row.scripts())).append("</td><td class=\"tests\">")
          .append(String.join("<br>", q.tests().stream().map(JUnitXml::esc).toList())).append("</td>");
      for (Map.Entry<String, Verdict> v : row.verdicts().entrySet()) {
        b.append("<td class=\"").append(v.getValue().css()).append("\">").append(v.getValue().word()).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static void counts(StringBuilder b, RequirementCoverage cov) {
    List<String> suts = cov.suts();
    b.append("<table id=\"requirement-counts\"><tr><th>kind</th><th>in RFC 9293</th><th>checked by scripts</th>"
        + "<th>by unit tests only</th><th>untestable</th><th>not covered</th>");
    for (String sut : suts) {
      b.append("<th>").append(esc(sut)).append(" meets</th><th>").append(esc(sut)).append(" does not meet</th>");
    }
    b.append("</tr>\n");
    for (Counts c : cov.counts()) {
      b.append("<tr><td>").append(c.kind()).append("</td>");
      for (int n : new int[] {c.total(), c.byScripts(), c.byUnitTestsOnly(), c.untestable(), c.uncovered()}) {
        b.append("<td class=\"num\">").append(n).append("</td>");
      }
      for (String sut : suts) {
        b.append("<td class=\"num pass\">").append(c.met().get(sut)).append("</td><td class=\"num")
            .append(c.notMet().get(sut) > 0 ? " fail" : "").append("\">").append(c.notMet().get(sut)).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }
}
