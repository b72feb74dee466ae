package org.tcpspec.conformance.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.suite.ScriptHeader;

/**
 * Everything a report shows: the cells, each script's header, the action vocabulary of the spec
 * when the project has one, wall time per system under test, the TLC check's outcome when it ran,
 * the folder script names are relative to, and one-line notes on what the report leaves out and
 * why.
 *
 * @param baseDir the folder script names, anchors and pcap files are relative to (the suite, or
 *     the scripts' common folder), so no report embeds the absolute path of a checkout
 * @param notes what the report leaves out and why (no project to take it from), one line each
 */
public record Report(
    List<Cell> cells,
    Map<String, ScriptHeader> headers,
    Optional<Set<String>> specActions,
    Map<String, Double> wallSecondsBySut,
    Optional<String> tlcSummary,
    Path baseDir,
    List<String> notes) {

  public Report {
    cells = List.copyOf(cells);
    notes = List.copyOf(notes);
  }

  public List<String> suts() {
    return cells.stream().map(c -> c.result().sut()).distinct().toList();
  }

  /** The rows: each script, or each script and variant ({@link RunResult#cellName()}). */
  public List<String> scripts() {
    return cells.stream().map(c -> c.result().cellName()).distinct().sorted().toList();
  }

  /** The cell of a row ({@link #scripts()}) on one system under test. */
  public Optional<Cell> cell(String cellName, String sut) {
    return cells.stream()
        .filter(c -> c.result().cellName().equals(cellName) && c.result().sut().equals(sut))
        .findFirst();
  }

  /** Script name relative to {@link #baseDir}, for display, anchors and file names. */
  public String shortName(String script) {
    return nameUnder(baseDir, script);
  }

  /** {@code script} relative to {@code base}; a script elsewhere is named by its file name alone. */
  public static String nameUnder(Path base, String script) {
    Path p = Path.of(script).toAbsolutePath().normalize();
    Path b = base.toAbsolutePath().normalize();
    return p.startsWith(b) ? b.relativize(p).toString() : String.valueOf(p.getFileName());
  }

  /** The HTML id of one cell's section, also the name of its pcap file. */
  public String anchor(String script, String sut) {
    return sut + "-" + shortName(script).replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-+", "");
  }

  public long count(String sut, Cell.Status status) {
    return cells.stream().filter(c -> c.result().sut().equals(sut) && c.status() == status).count();
  }

  /**
   * The cells that keep the run from passing: every cell but a pass or a known divergence, except
   * the kinds {@code allowed} accepts.
   */
  public List<Cell> blocking(Allowances allowed) {
    return cells.stream().filter(c -> !allowed.accepts(c.status())).toList();
  }
}
