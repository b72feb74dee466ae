package org.tcpspec.conformance.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tcpspec.conformance.suite.ScriptHeader;

/**
 * Everything a report shows, and everything results.json holds so that {@code merge} can show it
 * again: the cells, each script's header, the action vocabulary of the spec when the scripts name
 * actions, the systems under test (release, wall time), TLC's results when it ran, and one-line
 * notes on what the report leaves out and why. Script names are relative to the suite (or the
 * scripts' common folder), so no report embeds the absolute path of a checkout and the results of
 * runs on different machines join.
 *
 * @param tlc the models TLC checked, in manifest order; empty when TLC did not run
 * @param shard {@code i/n} when the run played one shard of the scripts ({@code --shard})
 * @param notes what the report leaves out and why (no project to take it from), one line each
 * @param linuxJudgments what the model says of each linux cell, when the linux cells were judged
 * @param modelSteps the steps of TcpEndpoint's graph the generated scripts realise, when the run
 *     played them ({@code conform --generated})
 */
public record Report(
    List<Cell> cells,
    Map<String, ScriptHeader> headers,
    Optional<Set<String>> specActions,
    List<SutRun> sutRuns,
    Optional<List<ModelResult>> tlc,
    Optional<String> shard,
    List<String> notes,
    List<LinuxJudgment> linuxJudgments,
    Optional<ModelSteps> modelSteps) {

  public Report {
    linuxJudgments = List.copyOf(linuxJudgments);
    cells = List.copyOf(cells);
    headers = Map.copyOf(headers);
    sutRuns = List.copyOf(sutRuns);
    tlc = tlc.map(List::copyOf);
    notes = List.copyOf(notes);
  }

  /** A report whose linux cells the model did not judge. */
  public Report(List<Cell> cells, Map<String, ScriptHeader> headers, Optional<Set<String>> specActions,
      List<SutRun> sutRuns, Optional<List<ModelResult>> tlc, Optional<String> shard, List<String> notes) {
    this(cells, headers, specActions, sutRuns, tlc, shard, notes, List.of(), Optional.empty());
  }

  /** What the model says of one linux cell, when it was judged. */
  public Optional<LinuxJudgment> judgment(String sut, String script) {
    return linuxJudgments.stream().filter(j -> j.sut().equals(sut) && j.script().equals(script)).findFirst();
  }

  /** The systems' names in column order. */
  public List<String> suts() {
    return sutRuns.stream().map(SutRun::name).toList();
  }

  public Optional<SutRun> sutRun(String sut) {
    return sutRuns.stream().filter(s -> s.name().equals(sut)).findFirst();
  }

  public double wallSeconds(String sut) {
    return sutRun(sut).map(SutRun::wallSeconds).orElse(0.0);
  }

  /** Script names, sorted. */
  public List<String> scripts() {
    return cells.stream().map(c -> c.result().script()).distinct().sorted().toList();
  }

  public Optional<Cell> cell(String script, String sut) {
    return cells.stream()
        .filter(c -> c.result().script().equals(script) && c.result().sut().equals(sut))
        .findFirst();
  }

  /** {@code script} relative to {@code base}; a script elsewhere is named by its file name alone. */
  public static String nameUnder(Path base, String script) {
    Path p = Path.of(script).toAbsolutePath().normalize();
    Path b = base.toAbsolutePath().normalize();
    return p.startsWith(b) ? b.relativize(p).toString() : String.valueOf(p.getFileName());
  }

  /** The HTML id of one script's section. */
  public static String scriptAnchor(String script) {
    return "s-" + slug(script);
  }

  /** The HTML id of one cell, also the name of its pcap file. */
  public static String anchor(String script, String sut) {
    return slug(sut) + "-" + slug(script);
  }

  private static String slug(String s) {
    return s.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-+|-+$", "");
  }

  public long count(String sut, Cell.Status status) {
    return cells.stream().filter(c -> c.result().sut().equals(sut) && c.status() == status).count();
  }

  public long count(Cell.Status status) {
    return cells.stream().filter(c -> c.status() == status).count();
  }

  /** Whether every model TLC checked agrees with the manifest (true when TLC did not run). */
  public boolean tlcAgrees() {
    return tlc.map(rows -> rows.stream().allMatch(ModelResult::agrees)).orElse(true);
  }

  /**
   * The cells that keep the run from passing: every cell but a pass, a known divergence or a
   * change of Linux since a recorded baseline, except the kinds {@code allowed} accepts.
   */
  public List<Cell> blocking(Allowances allowed) {
    return cells.stream().filter(c -> !allowed.accepts(c.status())).toList();
  }
}
