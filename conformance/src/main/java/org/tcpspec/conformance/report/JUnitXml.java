package org.tcpspec.conformance.report;

import java.util.List;

/** junit/TEST-&lt;system&gt;.xml: one test case per script, for CI test tabs. */
public final class JUnitXml {
  private JUnitXml() {}

  public static String render(Report r, String sut) {
    List<Cell> cells = r.cells().stream().filter(c -> c.result().sut().equals(sut)).toList();
    long failures = cells.stream().filter(c -> c.status() == Cell.Status.FAIL || c.status() == Cell.Status.STALE).count();
    long errors = cells.stream().filter(c -> c.status() == Cell.Status.ERROR).count();
    long skipped = cells.stream().filter(c -> !c.status().failsTheRun() && c.status() != Cell.Status.PASS).count();
    double time = cells.stream().mapToLong(c -> c.result().wallMillis()).sum() / 1000.0;
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append(String.format("<testsuite name=\"conformance.%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\""
        + " skipped=\"%d\" time=\"%.3f\">%n", esc(sut), cells.size(), failures, errors, skipped, time));
    for (Cell c : cells) {
      String name = r.shortName(c.result().script());
      int slash = name.lastIndexOf('/');
      String cls = "conformance." + sut + (slash > 0 ? "." + name.substring(0, slash).replace('/', '.') : "");
      b.append(String.format("  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"", esc(cls),
          esc(name.substring(slash + 1)), c.result().wallMillis() / 1000.0));
      String msg = c.message();
      String first = msg.lines().findFirst().orElse("");
      switch (c.status()) {
        case PASS -> b.append("/>\n");
        case FAIL, STALE -> b.append(">\n    <failure message=\"").append(esc(first)).append("\">")
            .append(esc(msg)).append("</failure>\n  </testcase>\n");
        case ERROR -> b.append(">\n    <error message=\"").append(esc(first)).append("\">")
            .append(esc(msg)).append("</error>\n  </testcase>\n");
        case KNOWN, UNSUPPORTED, NOT_AVAILABLE -> b.append(">\n    <skipped message=\"")
            .append(esc(c.status().word() + ": " + first)).append("\"/>\n  </testcase>\n");
      }
    }
    return b.append("</testsuite>\n").toString();
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
