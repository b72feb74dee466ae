package org.tcpspec.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench result as a table: one row per configuration (direction and path), one column per
 * MTU, MB/s in the cells. A row whose cells all say the same "n/a" prints that text once.
 */
public final class BenchTable {
  private final List<Integer> mtus;
  private final Map<String, Map<Integer, BenchCell>> rows = new LinkedHashMap<>();

  public BenchTable(List<Integer> mtus) {
    this.mtus = List.copyOf(mtus);
  }

  public void put(String row, int mtu, BenchCell cell) {
    rows.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(mtu, cell);
  }

  public BenchCell get(String row, int mtu) {
    Map<Integer, BenchCell> r = rows.get(row);
    return r == null || !r.containsKey(mtu) ? new BenchCell.NotAvailable("not run") : r.get(mtu);
  }

  public List<String> lines() {
    int first = Math.max(13, rows.keySet().stream().mapToInt(String::length).max().orElse(0));
    List<String> out = new ArrayList<>();
    StringBuilder header = new StringBuilder(pad("configuration", first));
    for (int mtu : mtus) header.append("  ").append(pad("MTU " + mtu, 22));
    out.add(header.toString().stripTrailing());
    for (String row : rows.keySet()) {
      List<String> cells = mtus.stream().map(m -> get(row, m).text()).toList();
      StringBuilder line = new StringBuilder(pad(row, first));
      boolean allSameNa =
          cells.stream().distinct().count() == 1 && get(row, mtus.getFirst()) instanceof BenchCell.NotAvailable;
      if (allSameNa) {
        line.append("  ").append(cells.getFirst());
      } else {
        for (String c : cells) line.append("  ").append(pad(c, 22));
      }
      out.add(line.toString().stripTrailing());
    }
    return out;
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
