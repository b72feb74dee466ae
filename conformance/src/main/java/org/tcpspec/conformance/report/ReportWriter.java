package org.tcpspec.conformance.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes index.html, summary.md, results.json, junit/TEST-&lt;system&gt;.xml and pcap/ into a
 * directory, after removing the junit and pcap files an earlier run left there, so a report never
 * mixes runs; or all of JUnit in one file.
 */
public final class ReportWriter {
  private ReportWriter() {}

  public static void write(Report r, RunVerdict verdict, Path dir) throws IOException {
    Path junit = dir.resolve("junit");
    Path pcap = dir.resolve("pcap");
    Files.createDirectories(junit);
    removeOld(junit, "TEST-*.xml");
    removeOld(pcap, "*.pcap");
    Map<String, String> pcapLinks = new HashMap<>();
    for (Cell c : r.cells()) {
      if (c.result().packets().isEmpty()) continue;
      String anchor = Report.anchor(c.result().script(), c.result().sut());
      String rel = "pcap/" + anchor + ".pcap";
      long start = r.sutRun(c.result().sut()).map(SutRun::startEpochMicros).orElse(0L);
      pcapLinks.put(anchor, PcapFiles.write(dir.resolve(rel), c.result().packets(), start).orElse(rel));
    }
    Files.writeString(dir.resolve("index.html"), HtmlReport.render(r, verdict, pcapLinks), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("summary.md"), SummaryMarkdown.render(r, verdict), StandardCharsets.UTF_8);
    ResultsFile.write(r, dir.resolve(ResultsFile.NAME));
    for (String sut : r.suts()) {
      Files.writeString(junit.resolve("TEST-" + sut.replace(' ', '-') + ".xml"), JUnitXml.render(r, sut),
          StandardCharsets.UTF_8);
    }
  }

  /** Every system under test in one JUnit file, its folder created when missing. */
  public static void writeJunit(Report r, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.writeString(file, JUnitXml.renderAll(r), StandardCharsets.UTF_8);
  }

  private static void removeOld(Path dir, String glob) throws IOException {
    if (!Files.isDirectory(dir)) return;
    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, glob)) {
      for (Path p : old) Files.delete(p);
    }
  }
}
