package org.tcpspec.conformance.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tcpspec.conformance.suite.ScriptHeader;

/** Which scripts name which TLA+ actions and RFC requirement labels in their headers. */
public record Coverage(Map<String, List<String>> coveredActions, Map<String, List<String>> labels) {

  public static Coverage of(Report r) {
    Map<String, List<String>> actions = new TreeMap<>();
    Map<String, List<String>> labels = new TreeMap<>();
    for (Map.Entry<String, ScriptHeader> e : r.headers().entrySet()) {
      String name = r.shortName(e.getKey());
      for (String a : e.getValue().actions()) {
        if (r.allActions().contains(a)) actions.computeIfAbsent(a, k -> new ArrayList<>()).add(name);
      }
      for (String l : e.getValue().labels()) labels.computeIfAbsent(l, k -> new ArrayList<>()).add(name);
    }
    return new Coverage(actions, labels);
  }
}
