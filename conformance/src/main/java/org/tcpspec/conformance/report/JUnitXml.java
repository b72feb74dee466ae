package org.tcpspec.conformance.report;

import java.util.List;
import org.tcpspec.conformance.suite.Requirements;

/**
 * JUnit XML for CI test tabs: junit/TEST-&lt;system&gt;.xml with one test case per script, or all
 * systems in one {@code <testsuites>} file for CI systems that read one ({@code --junit FILE}). A
 * known divergence, an unsupported script and a system that is not available are "skipped" with
 * the reason; whether they fail the run is the exit code's business, not the XML's. Each suite's
 * properties say how many of RFC 9293's requirements the system meets.
 */
public final class JUnitXml {
  private JUnitXml() {}

  private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

  /** One system under test's test suite as a file of its own. */
  public static String render(Report r, String sut) {
    return DECLARATION + suite(r, sut, "");
  }

  /** Every system under test's suite in one {@code <testsuites>} document. */
  public static String renderAll(Report r) {
    List<Cell> cells = r.cells();
    StringBuilder b = new StringBuilder(DECLARATION);
    b.append(String.format("<testsuites name=\"tcpspec\" tests=\"%d\" failures=\"%d\" errors=\"%d\""
            + " skipped=\"%d\" time=\"%.3f\">%n", cells.size(), failures(cells), errors(cells),
        skipped(cells), r.sutRuns().stream().mapToDouble(SutRun::wallSeconds).sum()));
    for (String sut : r.suts()) b.append(suite(r, sut, "  "));
    return b.append("</testsuites>\n").toString();
  }

  /** The suite's time is the system's wall time: its runs overlap, so their sum would overstate it. */
  private static String suite(Report r, String sut, String indent) {
    List<Cell> cells = r.cells().stream().filter(c -> c.result().sut().equals(sut)).toList();
    StringBuilder b = new StringBuilder();
    b.append(String.format("%s<testsuite name=\"conformance.%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\""
            + " skipped=\"%d\" time=\"%.3f\">%n", indent, esc(sut), cells.size(), failures(cells),
        errors(cells), skipped(cells), r.wallSeconds(sut)));
    requirements(b, r, sut, indent);
    for (Cell c : cells) {
      String name = c.result().script();
      int slash = name.lastIndexOf('/');
      String cls = "conformance." + sut.replace(' ', '-') + (slash > 0 ? "." + name.substring(0, slash).replace('/', '.') : "");
      b.append(String.format("%s  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"", indent, esc(cls),
          esc(name.substring(slash + 1)), c.result().wallMillis() / 1000.0));
      String msg = c.message();
      String first = msg.lines().findFirst().orElse("");
      switch (c.status()) {
        case PASS -> b.append("/>\n");
        case FAIL, STALE -> b.append(">\n").append(indent).append("    <failure message=\"").append(esc(first))
            .append("\">").append(esc(msg)).append("</failure>\n").append(indent).append("  </testcase>\n");
        case ERROR -> b.append(">\n").append(indent).append("    <error message=\"").append(esc(first))
            .append("\">").append(esc(msg)).append("</error>\n").append(indent).append("  </testcase>\n");
        case KNOWN, LINUX_CHANGED, UNSUPPORTED, NOT_AVAILABLE -> b.append(">\n").append(indent).append("    <skipped message=\"")
            .append(esc(c.status().word() + ": " + first)).append("\"/>\n").append(indent).append("  </testcase>\n");
      }
    }
    return b.append(indent).append("</testsuite>\n").toString();
  }

  /**
   * RFC 9293's requirements as properties of the suite, so a CI run shows "linux meets N of M
   * testable MUSTs": the headline, then per kind the numbers met, not met and testable.
   */
  private static void requirements(StringBuilder b, Report r, String sut, String indent) {
    RequirementCoverage cov = RequirementCoverage.of(r, Requirements.rfc9293());
    if (!cov.anyScriptNamesALabel()) return;
    b.append(indent).append("  <properties>\n");
    property(b, indent, "rfc9293.requirements", cov.headline(r, sut));
    for (RequirementCoverage.Counts c : cov.counts()) {
      String kind = "rfc9293." + c.kind();
      property(b, indent, kind + ".met", String.valueOf(c.met().get(sut)));
      property(b, indent, kind + ".notMet", String.valueOf(c.notMet().get(sut)));
      property(b, indent, kind + ".testable", String.valueOf(c.testable()));
    }
    b.append(indent).append("  </properties>\n");
  }

  private static void property(StringBuilder b, String indent, String name, String value) {
    b.append(indent).append("    <property name=\"").append(esc(name)).append("\" value=\"").append(esc(value))
        .append("\"/>\n");
  }

  private static long failures(List<Cell> cells) {
    return cells.stream().filter(c -> c.status() == Cell.Status.FAIL || c.status() == Cell.Status.STALE).count();
  }

  private static long errors(List<Cell> cells) {
    return cells.stream().filter(c -> c.status() == Cell.Status.ERROR).count();
  }

  private static long skipped(List<Cell> cells) {
    return cells.stream().filter(c -> switch (c.status()) {
      case KNOWN, LINUX_CHANGED, UNSUPPORTED, NOT_AVAILABLE -> true;
      case PASS, FAIL, ERROR, STALE -> false;
    }).count();
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder();
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> {
          if (ch < 0x20 && ch != '\n' && ch != '\t') b.append(' ');
          else b.append(ch);
        }
      }
    }
    return b.toString();
  }
}
