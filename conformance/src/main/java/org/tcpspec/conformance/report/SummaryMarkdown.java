package org.tcpspec.conformance.report;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** summary.md: the short form of a run for CI job pages. */
public final class SummaryMarkdown {
  private SummaryMarkdown() {}

  public static String render(Report r) {
    StringBuilder b = new StringBuilder("# tcpspec conformance\n\n");
    r.tlcSummary().ifPresent(t -> b.append("TLC: ").append(t).append("\n\n"));
    for (String note : r.notes()) b.append("> Note: ").append(note).append("\n\n");
    b.append("| system | pass | fail | error | known divergence | stale entry | unsupported | n/a | wall time |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    for (String sut : r.suts()) {
      b.append("| ").append(sut);
      for (Cell.Status s : new Cell.Status[] {Cell.Status.PASS, Cell.Status.FAIL, Cell.Status.ERROR,
          Cell.Status.KNOWN, Cell.Status.STALE, Cell.Status.UNSUPPORTED, Cell.Status.NOT_AVAILABLE}) {
        b.append(" | ").append(r.count(sut, s));
      }
      b.append(" | ").append(String.format("%.1f s", r.wallSecondsBySut().getOrDefault(sut, 0.0)))
          .append(" |\n");
    }
    b.append('\n');
    boolean any = false;
    for (String sut : r.suts()) {
      r.cells().stream().filter(c -> c.result().sut().equals(sut) && c.status() == Cell.Status.NOT_AVAILABLE)
          .findFirst().ifPresent(c -> b.append("- `").append(sut).append("`: ")
              .append(c.message()).append(" (").append(r.count(sut, Cell.Status.NOT_AVAILABLE))
              .append(" cells)\n"));
    }
    for (Cell c : r.cells()) {
      if (c.status() == Cell.Status.PASS || c.status() == Cell.Status.NOT_AVAILABLE) continue;
      if (!any) {
        b.append("## Not passing\n\n");
        any = true;
      }
      b.append("- **").append(c.status().word()).append("** `").append(c.result().sut()).append("` ")
          .append(r.shortName(c.result().cellName())).append(": ")
          .append(c.message().lines().findFirst().orElse("")).append('\n');
    }
    if (any) b.append('\n');
    Coverage cov = Coverage.of(r);
    b.append("## Coverage\n\n");
    r.specActions().ifPresent(all -> {
      b.append("- TLA+ actions named by scripts: ").append(cov.coveredActions().size()).append(" of ")
          .append(all.size()).append('\n');
      Set<String> missing = new TreeSet<>(all);
      missing.removeAll(cov.coveredActions().keySet());
      b.append("- actions no script covers: ").append(String.join(", ", missing)).append('\n');
      items(b, "RFC 9293 Figure 5 arrows", Coverage.FIGURE_5, cov);
      items(b, "RFC 9293 §3.5.2 reset rules", Coverage.RESET_RULES, cov);
    });
    b.append("- RFC labels named by scripts: ").append(String.join(", ", cov.labels().keySet())).append('\n');
    return b.toString();
  }

  private static void items(StringBuilder b, String what, List<Coverage.Item> items, Coverage cov) {
    long modelled = items.stream().filter(Coverage.Item::modelled).count();
    List<Coverage.Item> uncovered = cov.uncovered(items);
    b.append("- ").append(what).append(" covered: ").append(modelled - uncovered.size()).append(" of ")
        .append(modelled);
    if (!uncovered.isEmpty()) {
      b.append("; not covered: ").append(String.join("; ", uncovered.stream().map(Coverage.Item::name).toList()));
    }
    b.append('\n');
  }

}
