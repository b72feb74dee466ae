package org.tcpspec.conformance.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.suite.ScriptHeader;

/**
 * Joins the reports of several runs ({@code tcpspec merge}): the shards of one suite run by
 * separate CI jobs, or runs on different kernels. Shards of the same kernel fill the same columns;
 * when the runs' linux releases differ, each kernel gets a column of its own ({@code linux
 * <release>}) and {@link LinuxDifferences} shows where they part. A cell that two runs both hold
 * (the java stack, say, in every kernel's run) is shown once; if the two disagree, a note says so.
 * Cells keep the status their own run judged.
 */
public final class Merge {
  private Merge() {}

  /**
   * @param sources where each report came from, for notes (the folders given to merge)
   */
  public static Report of(List<Report> runs, List<String> sources) {
    Set<String> releases = new TreeSet<>(LinuxBaseline::compareReleases);
    for (Report r : runs) r.sutRun(LinuxBaseline.SUT).flatMap(SutRun::release).ifPresent(releases::add);
    boolean overKernels = releases.size() > 1;
    List<String> notes = new ArrayList<>();
    Map<String, SutRun> suts = new LinkedHashMap<>();
    Map<String, Cell> cells = new LinkedHashMap<>();
    Map<String, ScriptHeader> headers = new LinkedHashMap<>();
    Set<String> actions = new TreeSet<>();
    boolean anyActions = false;
    Optional<List<ModelResult>> tlc = Optional.empty();
    Map<String, LinuxJudgment> judgments = new LinkedHashMap<>();
    Optional<ModelSteps> steps = Optional.empty();
    for (int i = 0; i < runs.size(); i++) {
      Report r = runs.get(i);
      String source = sources.get(i);
      for (SutRun s : r.sutRuns()) {
        String label = label(s, overKernels);
        SutRun seen = suts.get(label);
        suts.put(label, seen == null ? new SutRun(label, s.release(), s.wallSeconds(), s.startEpochMicros())
            : new SutRun(label, s.release(), Math.max(seen.wallSeconds(), s.wallSeconds()),
                Math.min(seen.startEpochMicros(), s.startEpochMicros())));
      }
      for (Cell c : r.cells()) {
        String label = label(r.sutRun(c.result().sut()).orElseThrow(), overKernels);
        RunResult res = c.result();
        Cell relabelled = c.withResult(new RunResult(res.script(), label, res.verdict(), res.wallMillis(), res.packets()));
        String key = label + "\u0000" + res.script();
        Cell earlier = cells.putIfAbsent(key, relabelled);
        if (earlier != null && (earlier.status() != c.status() || !earlier.message().equals(c.message()))) {
          notes.add(res.script() + " on " + label + " went differently in " + source + " (" + c.status().word()
              + ") than in an earlier run (" + earlier.status().word() + "); the earlier one is shown.");
        }
      }
      r.headers().forEach(headers::putIfAbsent);
      if (r.specActions().isPresent()) {
        anyActions = true;
        actions.addAll(r.specActions().get());
      }
      if (r.tlc().isPresent()) {
        if (tlc.isEmpty()) {
          tlc = r.tlc();
        } else if (!sameModels(tlc.get(), r.tlc().get())) {
          notes.add("TLC's results in " + source + " differ from an earlier run's; the earlier ones are shown.");
        }
      }
      for (String n : r.notes()) if (!notes.contains(n)) notes.add(n);
      // A cell's judgment goes with the cell, into its kernel's column: the first run's, as for the
      // cell itself. Every shard of a generated run lists the whole set of steps; one list is kept.
      for (LinuxJudgment j : r.linuxJudgments()) {
        String label = label(r.sutRun(j.sut()).orElseThrow(), overKernels);
        judgments.putIfAbsent(label + "\u0000" + j.script(), new LinuxJudgment(label, j.script(), j.kind(), j.detail()));
      }
      if (steps.isEmpty()) steps = r.modelSteps();
    }
    shards(runs, sources, notes);
    notes.add("Merged from " + runs.size() + (runs.size() == 1 ? " run: " : " runs: ") + String.join(", ", sources)
        + (overKernels ? "; linux on " + String.join(", ", releases) : "") + ".");
    List<String> order = List.copyOf(suts.keySet());
    List<Cell> sorted = new ArrayList<>(cells.values());
    sorted.sort(Comparator.comparing((Cell c) -> order.indexOf(c.result().sut())).thenComparing(c -> c.result().script()));
    return new Report(sorted, headers, anyActions ? Optional.of(actions) : Optional.empty(), List.copyOf(suts.values()),
        tlc, Optional.empty(), notes, List.copyOf(judgments.values()), steps);
  }

  /** The column of a system under test: {@code linux <release>} when the merge spans kernels. */
  private static String label(SutRun s, boolean overKernels) {
    return overKernels && s.name().equals(LinuxBaseline.SUT) && s.release().isPresent()
        ? s.name() + " " + s.release().get() : s.name();
  }

  private static boolean sameModels(List<ModelResult> a, List<ModelResult> b) {
    if (a.size() != b.size()) return false;
    for (int i = 0; i < a.size(); i++) {
      ModelResult x = a.get(i);
      ModelResult y = b.get(i);
      if (!x.model().equals(y.model()) || !x.outcome().equals(y.outcome()) || x.agrees() != y.agrees()
          || x.distinctStates() != y.distinctStates() || x.depth() != y.depth()) {
        return false;
      }
    }
    return true;
  }

  /** Says which shards were joined, and which of a suite's shards are missing. */
  private static void shards(List<Report> runs, List<String> sources, List<String> notes) {
    Map<Integer, Set<Integer>> byCount = new LinkedHashMap<>();
    for (Report r : runs) {
      r.shard().ifPresent(s -> {
        String[] f = s.split("/");
        byCount.computeIfAbsent(Integer.parseInt(f[1]), k -> new LinkedHashSet<>()).add(Integer.parseInt(f[0]));
      });
    }
    byCount.forEach((count, present) -> {
      List<String> missing = new ArrayList<>();
      for (int i = 1; i <= count; i++) if (!present.contains(i)) missing.add(i + "/" + count);
      notes.add(missing.isEmpty() ? "Joins all " + count + " shards of the suite."
          : "Shards missing from this merge: " + String.join(", ", missing) + "; their scripts are not in this report.");
    });
  }
}
