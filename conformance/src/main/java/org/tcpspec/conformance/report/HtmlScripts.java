package org.tcpspec.conformance.report;

import static org.tcpspec.conformance.report.JUnitXml.esc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The scripts part of index.html: per script its header (RFC text, actions, what Linux does), then
 * one figure per system side by side, each with the cell's verdict, its message, the ladder and the
 * pcap link. Each ladder marks the first row that differs from the ladder before it (the first
 * system's from the second's), so the place where two systems part is visible at a glance.
 */
final class HtmlScripts {
  private HtmlScripts() {}

  static void render(StringBuilder b, Report r, Map<String, String> pcapLinks) {
    b.append("<h2 id=\"scripts\">Scripts</h2>\n<p>Sequence numbers read as in the script: the remote"
        + " side's are the script's own, the system under test's count from its ISN (its SYN or SYN-ACK); hover an arrow for the absolute values, options, time and script line. \u2260 marks the first row"
        + " where a ladder differs from the other system's (direction, flags, sequence range, ack, script line),"
        + " red the packet where a run stopped, dashed a packet the script expected that never came.</p>\n");
    for (String script : r.scripts()) {
      List<Cell> cells = r.suts().stream().flatMap(sut -> r.cell(script, sut).stream()).toList();
      b.append("<section class=\"script\" id=\"").append(Report.scriptAnchor(script)).append("\" data-passed=\"")
          .append(HtmlReport.allPassed(r, script) ? "yes" : "no").append("\">\n<h3>").append(esc(script)).append("</h3>\n");
      var header = r.headers().get(script);
      if (header != null && !(header.rfc().isEmpty() && header.actions().isEmpty() && header.linux().isEmpty())) {
        b.append("<p>").append(esc(header.rfc())).append("<br>Actions: ")
            .append(esc(String.join(", ", header.actions()))).append("<br>Linux: ")
            .append(esc(header.linux())).append("</p>\n");
      }
      b.append("<div class=\"ladders\">\n");
      for (int i = 0; i < cells.size(); i++) {
        Cell other = cells.get(i == 0 ? Math.min(1, cells.size() - 1) : 0);
        figure(b, cells.get(i), other == cells.get(i) ? null : other, judgmentOf(r, cells.get(i)), pcapLinks);
      }
      b.append("</div>\n</section>\n");
    }
  }

  /** The model's judgment of a linux cell. */
  private static Optional<LinuxJudgment> judgmentOf(Report r, Cell c) {
    return r.judgment(c.result().sut(), c.result().script());
  }

  private static void figure(StringBuilder b, Cell c, Cell other, Optional<LinuxJudgment> judgment,
      Map<String, String> pcapLinks) {
    String script = c.result().script();
    String sut = c.result().sut();
    b.append("<figure class=\"ladder\" id=\"").append(Report.anchor(script, sut)).append("\" data-sut=\"")
        .append(esc(sut)).append("\"><figcaption>").append(esc(sut)).append(": <span class=\"")
        .append(HtmlReport.css(c.status())).append("\">").append(c.status().word()).append("</span></figcaption>\n");
    String msg = c.message();
    if (!msg.isEmpty()) b.append("<pre>").append(esc(msg)).append("</pre>\n");
    judgment.ifPresent(j -> b.append("<p class=\"judgment\">The model: ").append(esc(j.line())).append("</p>\n"));
    boolean comparable = other != null && !c.result().packets().isEmpty() && !other.result().packets().isEmpty();
    OptionalInt difference = comparable ? Ladder.firstDifference(c.result().packets(), other.result().packets())
        : OptionalInt.empty();
    if (!c.result().packets().isEmpty() || Ladder.StopPoint.of(c.result().verdict()).isPresent()) {
      b.append(Ladder.svg(c, difference, other == null ? "" : other.result().sut()));
    }
    String link = pcapLinks.get(Report.anchor(script, sut));
    if (link != null) {
      b.append(link.startsWith("pcap not written") ? "<p>" + esc(link) + "</p>\n"
          : "<p><a href=\"" + esc(link) + "\">pcap</a></p>\n");
    }
    b.append("</figure>\n");
  }
}
