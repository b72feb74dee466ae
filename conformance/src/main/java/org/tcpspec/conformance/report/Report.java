package org.tcpspec.conformance.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tcpspec.conformance.suite.ScriptHeader;

/**
 * Everything a report shows: the cells, each script's header, the action vocabulary, wall time
 * per system under test, and the TLC check's outcome when it ran.
 */
public record Report(
    List<Cell> cells,
    Map<String, ScriptHeader> headers,
    Set<String> allActions,
    Map<String, Double> wallSecondsBySut,
    Optional<String> tlcSummary,
    Path suiteRoot) {

  public List<String> suts() {
    return cells.stream().map(c -> c.result().sut()).distinct().toList();
  }

  public List<String> scripts() {
    return cells.stream().map(c -> c.result().script()).distinct().sorted().toList();
  }

  public Optional<Cell> cell(String script, String sut) {
    return cells.stream()
        .filter(c -> c.result().script().equals(script) && c.result().sut().equals(sut))
        .findFirst();
  }

  /** Script name relative to the suite root, for display. */
  public String shortName(String script) {
    Path p = Path.of(script);
    try {
      return suiteRoot.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize()).toString();
    } catch (IllegalArgumentException e) {
      return script;
    }
  }

  public long count(String sut, Cell.Status status) {
    return cells.stream().filter(c -> c.result().sut().equals(sut) && c.status() == status).count();
  }

  public boolean failed() {
    return cells.stream().anyMatch(c -> c.status().failsTheRun());
  }
}
