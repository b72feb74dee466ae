package org.tcpspec.conformance.report;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * index.html, self-contained (inline CSS and SVG, no scripts from anywhere): the TLC line, notes
 * on what the report leaves out, the matrix of scripts by system, coverage of TLA+ actions, Figure
 * 5 arrows and §3.5.2 reset rules (when the spec's actions are known) and of RFC labels, then per
 * run its message, ladder diagram and pcap link.
 */
public final class HtmlReport {
  private HtmlReport() {}

  public static String render(Report r, Map<String, String> pcapLinks) {
    StringBuilder b = new StringBuilder("""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>tcpspec conformance</title>
        <style>
        body{font-family:sans-serif;margin:2em;max-width:80em}
        table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}
        .pass{background:#d9f2d9}.fail,.error,.stale{background:#f7d4d4}.known{background:#fbeccb}
        .unsupported,.na{background:#eee}pre{background:#f6f6f6;padding:6px;white-space:pre-wrap}
        </style></head><body>
        <h1>tcpspec conformance</h1>
        """);
    r.tlcSummary().ifPresent(t -> b.append("<p><b>TLC:</b> ").append(JUnitXml.esc(t)).append("</p>\n"));
    for (String note : r.notes()) {
      b.append("<p class=\"note\"><b>Note:</b> ").append(JUnitXml.esc(note)).append("</p>\n");
    }
    b.append("<h2>Matrix</h2>\n<table><tr><th>script</th>");
    for (String sut : r.suts()) {
      b.append("<th>").append(JUnitXml.esc(sut)).append(String.format(" (%.1f s)",
          r.wallSecondsBySut().getOrDefault(sut, 0.0))).append("</th>");
    }
    b.append("</tr>\n");
    for (String script : r.scripts()) {
      b.append("<tr><td>").append(JUnitXml.esc(r.shortName(script))).append("</td>");
      for (String sut : r.suts()) {
        var cell = r.cell(script, sut);
        if (cell.isEmpty()) {
          b.append("<td></td>");
          continue;
        }
        b.append("<td class=\"").append(css(cell.get().status())).append("\"><a href=\"#")
            .append(r.anchor(script, sut)).append("\">").append(cell.get().status().word())
            .append("</a></td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
    for (String sut : r.suts()) {
      b.append("<p>").append(JUnitXml.esc(sut)).append(": ");
      for (Cell.Status s : Cell.Status.values()) {
        long n = r.count(sut, s);
        if (n > 0) b.append(n).append(' ').append(s.word()).append("; ");
      }
      b.append("</p>\n");
    }
    Coverage cov = Coverage.of(r);
    r.specActions().ifPresent(all -> actions(b, all, cov));
    b.append("<h2>Coverage of RFC 9293 requirement labels</h2>\n<table>"
        + "<tr><th>label</th><th>scripts</th></tr>\n");
    for (var e : cov.labels().entrySet()) {
      b.append("<tr><td>").append(e.getKey()).append("</td><td>")
          .append(JUnitXml.esc(String.join(", ", e.getValue()))).append("</td></tr>\n");
    }
    b.append("</table>\n<h2>Runs</h2>\n");
    for (Cell c : r.cells()) {
      String script = c.result().cellName();
      String sut = c.result().sut();
      b.append("<h3 id=\"").append(r.anchor(script, sut)).append("\">").append(JUnitXml.esc(r.shortName(script)))
          .append(" on ").append(JUnitXml.esc(sut)).append(": <span class=\"").append(css(c.status()))
          .append("\">").append(c.status().word()).append("</span></h3>\n");
      var header = r.headers().get(c.result().script());
      if (header != null && !(header.rfc().isEmpty() && header.actions().isEmpty() && header.linux().isEmpty())) {
        b.append("<p>").append(JUnitXml.esc(header.rfc())).append("<br>Actions: ")
            .append(JUnitXml.esc(String.join(", ", header.actions()))).append("<br>Linux: ")
            .append(JUnitXml.esc(header.linux())).append("</p>\n");
      }
      String msg = c.message();
      if (!msg.isEmpty()) b.append("<pre>").append(JUnitXml.esc(msg)).append("</pre>\n");
      if (!c.result().packets().isEmpty()) {
        b.append(Ladder.svg(c.result().packets(), sut));
        String link = pcapLinks.get(r.anchor(script, sut));
        if (link != null) {
          b.append(link.startsWith("pcap not written") ? "<p>" + JUnitXml.esc(link) + "</p>\n"
              : "<p><a href=\"" + JUnitXml.esc(link) + "\">pcap</a></p>\n");
        }
      }
    }
    return b.append("</body></html>\n").toString();
  }

  static String css(Cell.Status s) {
    return switch (s) {
      case PASS -> "pass";
      case FAIL -> "fail";
      case ERROR -> "error";
      case KNOWN -> "known";
      case STALE -> "stale";
      case UNSUPPORTED -> "unsupported";
      case NOT_AVAILABLE -> "na";
    };
  }

  private static void actions(StringBuilder b, Set<String> all, Coverage cov) {
    b.append("<h2>Coverage of TLA+ actions</h2>\n<p>").append(cov.coveredActions().size())
        .append(" of ").append(all.size()).append(" actions are named by a script.</p>\n");
    b.append("<table><tr><th>action</th><th>scripts</th></tr>\n");
    for (String a : new TreeSet<>(all)) {
      List<String> scripts = cov.coveredActions().getOrDefault(a, List.of());
      b.append("<tr><td>").append(a).append("</td><td class=\"")
          .append(scripts.isEmpty() ? "na\">none" : "pass\">" + JUnitXml.esc(String.join(", ", scripts)))
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
    items(b, "Coverage of RFC 9293 Figure 5 (state diagram arrows)", Coverage.FIGURE_5, cov);
    items(b, "Coverage of RFC 9293 §3.5.2 (reset generation)", Coverage.RESET_RULES, cov);
  }

  private static void items(StringBuilder b, String title, List<Coverage.Item> items, Coverage cov) {
    b.append("<h2>").append(JUnitXml.esc(title)).append("</h2>\n<table><tr><th>arrow or rule</th><th>actions</th>"
        + "<th>scripts</th></tr>\n");
    for (Coverage.Item item : items) {
      List<String> scripts = cov.scripts(item);
      String cell = !item.modelled() ? "na\">not in the model"
          : scripts.isEmpty() ? "na\">none" : "pass\">" + JUnitXml.esc(String.join(", ", scripts));
      b.append("<tr><td>").append(JUnitXml.esc(item.name())).append("</td><td>")
          .append(JUnitXml.esc(String.join(", ", item.actions()))).append("</td><td class=\"").append(cell)
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }
}
