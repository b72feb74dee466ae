package org.tcpspec.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one TLC run said.
 *
 * @param verdict {@value #SUCCESS}, the name of the violated invariant or action property,
 *     {@value #DEADLOCK}, {@value #TEMPORAL} (TLC does not name the temporal property that failed),
 *     or {@value #ERROR} when TLC could not check the model at all (parse error, crash)
 * @param distinctStates TLC's "N distinct states found"
 * @param depth TLC's "The depth of the complete state graph search is D." (on a violation: the
 *     BFS level reached)
 * @param counterexample TLC's error trace, empty on success
 * @param output everything TLC printed
 */
public record TlcResult(
    String verdict,
    long distinctStates,
    int depth,
    Duration time,
    String counterexample,
    String output) {

  public static final String SUCCESS = "success";
  public static final String DEADLOCK = "deadlock";
  public static final String TEMPORAL = "temporal";
  public static final String ERROR = "error";

  /** The differences from a manifest entry, one sentence each; empty when TLC agrees. */
  public List<String> differencesFrom(Manifest.Entry expected) {
    List<String> diffs = new ArrayList<>();
    if (!verdict.equals(expected.result())) {
      diffs.add("verdict: expected " + expected.result() + " vs actual " + verdict);
    }
    if (distinctStates != expected.distinctStates()) {
      diffs.add(
          "distinct states: expected " + expected.distinctStates() + " vs actual " + distinctStates);
    }
    if (depth != expected.stateDepth()) {
      diffs.add("depth: expected " + expected.stateDepth() + " vs actual " + depth);
    }
    return diffs;
  }
}
