package org.tcpspec.conformance.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the linux columns of a report differ: after {@code merge} over runs on several kernels,
 * each kernel has a column ({@code linux 6.1.0}, {@code linux 6.18.44}), and a script whose
 * outcome ({@link LinuxBaseline.Outcome#key()}: pass, fail line N, ...) is not the same in all of
 * them shows where Linux versions behave differently.
 */
public record LinuxDifferences(List<String> columns, List<Row> rows) {

  /** One script and its outcome per linux column that ran it. */
  public record Row(String script, Map<String, String> outcomes) {}

  public static LinuxDifferences of(Report r) {
    List<String> columns = r.suts().stream().filter(LinuxDifferences::isLinux).toList();
    List<Row> rows = new ArrayList<>();
    if (columns.size() < 2) return new LinuxDifferences(columns, rows);
    for (String script : r.scripts()) {
      Map<String, String> outcomes = new LinkedHashMap<>();
      for (String sut : columns) {
        r.cell(script, sut).flatMap(c -> LinuxBaseline.outcomeOf(c.result()))
            .ifPresent(o -> outcomes.put(sut, o.key()));
      }
      if (outcomes.values().stream().distinct().count() > 1) rows.add(new Row(script, outcomes));
    }
    return new LinuxDifferences(columns, rows);
  }

  /** {@code linux}, or {@code linux <release>} in a merge over kernels. */
  public static boolean isLinux(String sut) {
    return sut.equals(LinuxBaseline.SUT) || sut.startsWith(LinuxBaseline.SUT + " ");
  }

  /** Whether the report compares several kernels at all. */
  public boolean overKernels() {
    return columns.size() > 1;
  }

  public Optional<String> outcome(Row row, String column) {
    return Optional.ofNullable(row.outcomes().get(column));
  }
}
