package org.tcpspec.conformance.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * reports/known-divergences: reviewed cells that are expected not to pass. One entry per line,
 * {@code script | system | reason}; {@code #} starts a comment. A listed cell that passes is
 * "stale" and reported so the entry gets removed.
 */
public record KnownDivergences(List<Entry> entries) {

  public record Entry(String script, String sut, String reason, int line) {}

  public static KnownDivergences load(Path file) throws IOException {
    if (!Files.exists(file)) return new KnownDivergences(List.of());
    return parse(Files.readString(file));
  }

  public static KnownDivergences parse(String text) {
    List<Entry> out = new ArrayList<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      String[] cells = l.split("\\|", 3);
      if (cells.length < 3) {
        throw new IllegalArgumentException("known-divergences:" + (i + 1)
            + ": expected 'script | system | reason', found '" + l + "'");
      }
      out.add(new Entry(cells[0].strip(), cells[1].strip(), cells[2].strip(), i + 1));
    }
    return new KnownDivergences(List.copyOf(out));
  }

  /** The entry for a script (path ending with the entry's script) on a system. */
  public Optional<Entry> find(String script, String sut) {
    String normalized = script.replace('\\', '/');
    return entries.stream()
        .filter(e -> e.sut().equals(sut) && normalized.endsWith(e.script()))
        .findFirst();
  }
}
