package org.tcpspec.conformance.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Makes a failing list of steps smaller while it still fails: drops chunks of half the list, then
 * of a quarter, down to single steps (a simple form of Zeller's delta debugging), each candidate
 * tried once. Stops early when {@code mayGoOn} says the time is up; what it has then still fails.
 */
final class Shrinker {
  private Shrinker() {}

  static <T> List<T> shrink(List<T> items, Predicate<List<T>> stillFails, BooleanSupplier mayGoOn) {
    List<T> current = List.copyOf(items);
    for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
      // From the end: later steps more often only follow from earlier ones.
      int end = current.size();
      while (end > 0) {
        if (!mayGoOn.getAsBoolean()) return current;
        int start = Math.max(0, end - chunk);
        List<T> candidate = new ArrayList<>(current.subList(0, start));
        candidate.addAll(current.subList(end, current.size()));
        if (!candidate.equals(current) && stillFails.test(candidate)) current = List.copyOf(candidate);
        end = start;
      }
      if (chunk == 1) break;
    }
    return current;
  }
}
