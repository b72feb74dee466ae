package org.tcpspec.conformance.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The action names of spec/ACTIONS.md: the first cell of every table row, with the {@code SRcv*}
 * rows expanded over the synchronized states they range over (minus the ones a row excludes,
 * "(S not SynReceived)").
 */
public final class SpecActions {
  private SpecActions() {}

  static final List<String> SYNCHRONIZED = List.of("SynReceived", "Established", "FinWait1",
      "FinWait2", "CloseWait", "Closing", "LastAck", "TimeWait");

  public static Set<String> load(Path actionsMd) throws IOException {
    return parse(Files.readString(actionsMd));
  }

  public static Set<String> parse(String markdown) {
    Set<String> out = new TreeSet<>();
    for (String line : markdown.lines().toList()) {
      if (!line.startsWith("| ") || line.startsWith("| action") || line.startsWith("|--")) continue;
      String cell = line.substring(2, line.indexOf('|', 2)).strip();
      String exclude = "";
      int paren = cell.indexOf('(');
      if (paren >= 0) {
        String note = cell.substring(paren);
        if (note.contains("not SynReceived")) exclude = "SynReceived";
        cell = cell.substring(0, paren).strip();
      }
      for (String name : cell.split(",")) {
        String n = name.strip();
        if (n.isEmpty() || !n.matches("[A-Za-z_0-9]+")) continue;
        if (n.startsWith("SRcv")) {
          for (String s : SYNCHRONIZED) {
            if (!s.equals(exclude)) out.add(s + n.substring(1));
          }
        } else {
          out.add(n);
        }
      }
    }
    return out;
  }
}
