package org.tcpspec.conformance.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Writes index.html, summary.md, junit/TEST-&lt;system&gt;.xml and pcap/ into a directory. */
public final class ReportWriter {
  private ReportWriter() {}

  public static void write(Report r, Path dir, long baseEpochMicros) throws IOException {
    Files.createDirectories(dir.resolve("junit"));
    Map<String, String> pcapLinks = new HashMap<>();
    for (Cell c : r.cells()) {
      if (c.result().packets().isEmpty()) continue;
      String anchor = HtmlReport.anchor(c.result().script(), c.result().sut());
      Path rel = Path.of("pcap", anchor + ".pcap");
      pcapLinks.put(anchor, PcapFiles.write(dir.resolve(rel), c.result().packets(), baseEpochMicros)
          .orElse(rel.toString()));
    }
    Files.writeString(dir.resolve("index.html"), HtmlReport.render(r, pcapLinks), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("summary.md"), SummaryMarkdown.render(r), StandardCharsets.UTF_8);
    for (String sut : r.suts()) {
      Files.writeString(dir.resolve("junit").resolve("TEST-" + sut + ".xml"), JUnitXml.render(r, sut),
          StandardCharsets.UTF_8);
    }
  }
}
