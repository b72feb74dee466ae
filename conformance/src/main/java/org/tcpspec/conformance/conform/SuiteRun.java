package org.tcpspec.conformance.conform;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.tcpspec.conformance.report.Cell;
import org.tcpspec.conformance.judge.LinuxJudge;
import org.tcpspec.conformance.report.LinuxBaseline;
import org.tcpspec.conformance.report.LinuxJudgment;
import org.tcpspec.conformance.report.ModelResult;
import org.tcpspec.conformance.report.ModelSteps;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.report.SutRun;
import org.tcpspec.conformance.run.RunOptions;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.suite.ScriptHeader;
import org.tcpspec.conformance.suite.SpecActions;

/**
 * What {@code run} and {@code conform} share: select the scripts (a shard of them, when asked),
 * play them on each system under test, show progress, judge each cell against the project's known
 * divergences (so a reviewed one reads "known") and, for linux on a kernel without a baseline of
 * its own, against the nearest older kernel's baseline, and build the report. In a log every cell
 * gets a line, and every few seconds a line says how many are done and failed, the time elapsed
 * and the time left; on a terminal only the cells that did not pass get a line, under a bar with
 * the same counts. A system under test that is not available gets one line saying why instead of
 * one per script. The cells of a system timed in real time play at a real-time priority ({@link
 * RealTimePriority}), as packetdrill's do, on the last CPU, the JVM's compiler and GC threads on the
 * others (sut.HelperPlacement), one cell at a time or several.
 *
 * <p>The report names scripts relative to the project's suite folder when every script is in it
 * (as known-divergences and baselines name them), else to the scripts' common folder; messages
 * too. Progress lines keep the paths as given, so a terminal user can open them.
 */
public final class SuiteRun {
  /** Systems under test whose cells are timed in real time: the kernel. */
  private static final Set<String> REAL_TIME = Set.of("linux");

  private final Project project;
  private final Progress progress;
  private final int jobs;
  private final RunOptions options;
  private boolean judgeLinux = true;

  /**
   * The scripts of one run: the paths the runner opens, and the names the report gives them; with
   * the generated set, the model steps its scripts realise.
   */
  public record Selection(List<Path> paths, Map<Path, String> names, Map<String, ScriptHeader> headers,
      Shard shard, List<String> notes, Optional<ModelSteps> modelSteps) {}

  /** One system under test's part of a run; {@code judgments}: the model's, of linux cells. */
  public record SutPart(SutRun run, List<Cell> cells, List<LinuxJudgment> judgments) {}

  /** @param jobs cells at once as {@code -j} gives it; 0 for each system's default ({@link #jobsFor}) */
  public SuiteRun(Project project, Progress progress, int jobs, RunOptions options) {
    this.project = project;
    this.progress = progress;
    this.jobs = jobs;
    this.options = options;
  }

  /** Whether the model judges the linux cells (on by default; a run of many small folders may skip it). */
  public SuiteRun judgeLinux(boolean on) {
    judgeLinux = on;
    return this;
  }

  /** Selects, plays and reports in one go. */
  public Report run(List<Path> scripts, List<SutFactory> suts, Shard shard, Optional<List<ModelResult>> tlc)
      throws IOException, InterruptedException {
    Selection s = select(scripts, shard);
    List<SutPart> parts = new ArrayList<>();
    for (SutFactory sut : suts) parts.add(runOn(s, sut));
    return report(s, parts, tlc);
  }

  /**
   * Names the scripts and keeps those of {@code shard}. Names come first: a shard is chosen by the
   * name relative to the suite, which is the same on every machine.
   */
  public Selection select(List<Path> scripts, Shard shard) throws IOException {
    List<Path> all = scripts.stream().map(SuiteRun::relativeToWorkingDir).toList();
    Path base = !all.isEmpty() && all.stream().allMatch(project::isInSuite) ? project.suite() : commonFolder(all);
    Map<Path, String> names = new LinkedHashMap<>();
    for (Path p : all) {
      String name = Report.nameUnder(base, p.toString());
      if (shard.includes(name)) names.put(p, name);
    }
    Map<String, ScriptHeader> headers = new LinkedHashMap<>();
    for (var e : names.entrySet()) headers.put(e.getValue(), ScriptHeader.read(e.getKey()));
    List<String> notes = new ArrayList<>(project.notes());
    long outside = names.keySet().stream().filter(p -> !project.isInSuite(p)).count();
    if (project.knownDivergences().isPresent() && project.outsideDivergences().isEmpty() && outside > 0) {
      notes.add("The project's known divergences apply to scripts under its packetdrill-scripts/ only; "
          + outside + " of " + names.size() + " scripts here are elsewhere.");
    }
    // Coverage of actions, Figure 5 arrows and §3.5.2 rules means something only for scripts whose
    // headers name actions (the suite's do; other people's scripts usually don't).
    if (headers.values().stream().allMatch(h -> h.actions().isEmpty())) {
      notes.add("Coverage of TLA+ actions, Figure 5 arrows and §3.5.2 rules left out: no script here"
          + " names actions in its header (// Actions: ...).");
    }
    return new Selection(List.copyOf(names.keySet()), names, headers, shard, notes, Optional.empty());
  }

  /**
   * The selection and the generated set, written under the project's generated folder: its scripts
   * (the shard's part of them) after the suite's, named {@code generated/<state>/<script>}, so that
   * names stay apart from the suite's and reports/known-divergences-generated can list them.
   */
  public Selection withGenerated(Selection s, ModelSteps steps) throws IOException {
    List<Path> paths = new ArrayList<>(s.paths());
    Map<Path, String> names = new LinkedHashMap<>(s.names());
    Map<String, ScriptHeader> headers = new LinkedHashMap<>(s.headers());
    for (ModelSteps.Step st : steps.steps()) {
      if (st.scriptName().isEmpty() || !s.shard().includes(st.script())) continue;
      Path p = relativeToWorkingDir(project.generated().resolve(st.script().substring(ModelSteps.PREFIX.length())));
      paths.add(p);
      names.put(p, st.script());
      headers.put(st.script(), ScriptHeader.read(p));
    }
    return new Selection(List.copyOf(paths), names, headers, s.shard(), s.notes(), Optional.of(steps));
  }

  /** Plays the selection on one system under test, with progress. */
  public SutPart runOn(Selection s, SutFactory sut) throws InterruptedException {
    Runner runner = new Runner(jobsFor(sut), options);
    int total = runner.cells(s.paths());
    Optional<String> unavailable = sut.unavailable();
    if (unavailable.isPresent()) {
      progress.line(sut.name() + ": " + unavailable.get() + "; " + runs(s, total) + " not run");
    } else {
      progress.line("suite: " + runs(s, total) + " on " + sut.name());
    }
    Optional<String> release = sut.name().equals(LinuxBaseline.SUT) ? Optional.of(System.getProperty("os.version"))
        : Optional.empty();
    Optional<LinuxBaseline> reference = release.flatMap(project::baselineReference);
    String step = "suite " + sut.name();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long startEpochMicros = System.currentTimeMillis() * 1000;
    long start = System.nanoTime();
    Consumer<RunResult> shown = r -> {
      if (unavailable.isPresent()) return;
      Cell c = judge(r, reference);
      if (c.status().failed()) failed.incrementAndGet();
      int n = done.incrementAndGet();
      cellLine(n, total, c, cellName(r, s.names().get(Path.of(r.script()))));
      double elapsed = (System.nanoTime() - start) / 1e9;
      progress.status(step, String.format("suite: %s %d/%d, %d failed, %s elapsed, about %s left", sut.name(), n,
          total, failed.get(), Progress.duration(elapsed), Progress.duration(elapsed / n * (total - n))),
          n / (double) total);
    };
    List<RunResult> results;
    if (isRealTime(sut) && unavailable.isEmpty()) {
      try (RealTimePriority priority = RealTimePriority.raise()) {
        priority.refused().ifPresent(why -> progress.line("suite: " + sut.name() + " at normal priority: " + why));
        results = runner.run(s.paths(), List.of(sut), shown);
      }
    } else {
      results = runner.run(s.paths(), List.of(sut), shown);
    }
    progress.endStatus(step);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (unavailable.isEmpty()) {
      progress.line(String.format("suite: %s done in %.1f s, %d failed", sut.name(), seconds, failed.get()));
    }
    List<Cell> cells = results.stream()
        .map(r -> judge(r, reference).withResult(renamed(r, s.names().get(Path.of(r.script()))))).toList();
    List<LinuxJudgment> judgments = judgeLinux && release.isPresent() && unavailable.isEmpty()
        ? judgeLinux(s, results) : List.of();
    return new SutPart(new SutRun(sut.name(), release, seconds, startEpochMicros), cells, judgments);
  }

  /**
   * The model judges every linux cell (one TLC run, spec/TcpLinuxTrace.tla) and a line says how
   * many are its behaviours and how long that took; a cell that leaves the model gets a line of its
   * own.
   */
  private List<LinuxJudgment> judgeLinux(Selection s, List<RunResult> results) {
    long start = System.nanoTime();
    List<LinuxJudge.LinuxCell> cells = results.stream()
        .map(r -> new LinuxJudge.LinuxCell(cellName(r, s.names().get(Path.of(r.script()))), Path.of(r.script()), r))
        .toList();
    Map<String, LinuxJudge.Judgment> judged;
    try {
      judged = LinuxJudge.judge(cells);
    } catch (IOException e) {
      progress.line("model: the linux cells were not judged: " + e.getMessage());
      return List.of();
    }
    List<LinuxJudgment> out = new ArrayList<>();
    for (var e : judged.entrySet()) {
      String script = e.getKey();
      out.add(switch (e.getValue()) {
        case LinuxJudge.Judgment.Behaviour b -> new LinuxJudgment(LinuxBaseline.SUT, script,
            LinuxJudgment.Kind.BEHAVIOUR, b.upTo().map(l -> "up to line " + l + ", where the cell failed on what the"
                + " model does not speak of (an errno, a timer's timing)").orElse(""));
        case LinuxJudge.Judgment.Leaves l -> new LinuxJudgment(LinuxBaseline.SUT, script, LinuxJudgment.Kind.LEAVES,
            "line " + l.line() + ": " + l.step());
        case LinuxJudge.Judgment.NotJudged n -> new LinuxJudgment(LinuxBaseline.SUT, script,
            LinuxJudgment.Kind.NOT_JUDGED, n.reason());
      });
    }
    long behaviours = out.stream().filter(j -> j.kind() == LinuxJudgment.Kind.BEHAVIOUR).count();
    long notJudged = out.stream().filter(j -> j.kind() == LinuxJudgment.Kind.NOT_JUDGED).count();
    for (LinuxJudgment j : out) if (j.kind() == LinuxJudgment.Kind.LEAVES) progress.line("model: " + j.cellName() + " " + j.line());
    progress.line(String.format("model: %d of %d judged linux cells are behaviours of the model, %d not judged (%.1f s)",
        behaviours, out.size() - notJudged, notJudged, (System.nanoTime() - start) / 1e9));
    return out;
  }

  /** Whether a system's cells are timed in real time (the kernel), so that runs at once disturb each other. */
  static boolean isRealTime(SutFactory sut) {
    return REAL_TIME.contains(sut.name());
  }

  /**
   * How many cells of {@code sut} play at once: {@code -j} when given; else one at a time for a
   * system timed in real time and one per core for the others. Measured on this project's 2-core
   * VM (December 2026, the suite of 102 scripts): one at a time, 5 of 5 runs passed (139 to 144 s);
   * two at a time, 2 of 4 runs had a connect's SYN 4 to 8 ms late, past packetdrill's 4 ms
   * tolerance (73 to 79 s); so did 3 of 5 runs in which the one script alongside the others was
   * waiting 60 s in TIME-WAIT. One at a time still lends a cell's long sleep to the cells that fit
   * in it ({@link org.tcpspec.conformance.run.IdleOverlap}), so no two cells act at once.
   */
  int jobsFor(SutFactory sut) {
    return jobs > 0 ? jobs : isRealTime(sut) ? 1 : Runtime.getRuntime().availableProcessors();
  }

  public Report report(Selection s, List<SutPart> parts, Optional<List<ModelResult>> tlc) {
    List<Cell> cells = parts.stream().flatMap(p -> p.cells().stream()).toList();
    boolean namesActions = s.headers().values().stream().anyMatch(h -> !h.actions().isEmpty());
    Optional<Set<String>> vocabulary = namesActions ? Optional.of(SpecActions.names()) : Optional.empty();
    return new Report(cells, s.headers(), vocabulary, parts.stream().map(SutPart::run).toList(), tlc,
        s.shard().isAll() ? Optional.empty() : Optional.of(s.shard().toString()), s.notes(),
        parts.stream().flatMap(p -> p.judgments().stream()).toList(), s.modelSteps());
  }

  private Cell judge(RunResult r, Optional<LinuxBaseline> reference) {
    Path script = Path.of(r.script());
    return Cell.judge(r, project.divergencesFor(script), options.ipVersion(script, r.variant()),
        project.isInSuite(script) ? reference : Optional.empty());
  }

  /** "3 scripts", and with --variants how many runs they make: "1 script (2 variant runs)". */
  private static String runs(Selection s, int runs) {
    return scripts(s.paths().size()) + (runs != s.paths().size() ? " (" + runs + " variant runs)" : "");
  }

  /** A row of the report: the script's report name, and its variant in brackets if it ran in one. */
  private static String cellName(RunResult r, String name) {
    return r.variant().isEmpty() ? name : name + " [" + r.variant() + "]";
  }

  /**
   * The result under its report name (with its variant, so that merge, baselines and the matrix
   * see one row per script and variant), its messages naming the script by that name too.
   */
  private static RunResult renamed(RunResult r, String name) {
    String asRun = r.script() + ":";
    Verdict v = switch (r.verdict()) {
      case Verdict.Fail f -> new Verdict.Fail(f.message().replace(asRun, name + ":"));
      case Verdict.Error e -> new Verdict.Error(e.message().replace(asRun, name + ":"));
      case Verdict.Pass p -> p;
      case Verdict.Unsupported u -> u;
      case Verdict.NotAvailable n -> n;
    };
    return new RunResult(cellName(r, name), r.sut(), v, r.wallMillis(), r.packets(), r.notes(), "");
  }

  /**
   * {@code [3/102] known java rst/x.pkt (0.01 s)}, then the reason when the cell did not pass; on
   * a terminal a passing cell only moves the bar.
   */
  private void cellLine(int done, int total, Cell c, String name) {
    if (c.status() == Cell.Status.PASS && progress.mode() == Progress.Mode.BAR) return;
    RunResult r = c.result();
    // The verdict leads the line, as packetdrill-comparing tools read it; the count follows.
    StringBuilder b = new StringBuilder(String.format("%-11s %-5s %s (%.2f s) [%d/%d]", c.status().tag(), r.sut(),
        name, r.wallMillis() / 1000.0, done, total));
    var lines = switch (c.status()) {
      case PASS -> Stream.<String>empty();
      case KNOWN -> c.message().lines().limit(1);
      case FAIL, ERROR, STALE, LINUX_CHANGED, UNSUPPORTED, NOT_AVAILABLE -> c.message().lines();
    };
    lines.forEach(l -> b.append("\n      ").append(l));
    progress.line(b.toString());
  }

  private static String scripts(int n) {
    return n + (n == 1 ? " script" : " scripts");
  }

  /** A path under the working directory as relative to it, so messages and reports need no checkout path. */
  static Path relativeToWorkingDir(Path script) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = script.toAbsolutePath().normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs) : script.normalize();
  }

  /** The deepest folder holding every script (a single script's own folder). */
  static Path commonFolder(List<Path> scripts) {
    Path common = null;
    for (Path s : scripts) {
      Path dir = s.toAbsolutePath().normalize().getParent();
      if (common == null) {
        common = dir;
      } else {
        while (!dir.startsWith(common)) common = common.getParent();
      }
    }
    return common == null ? Path.of("").toAbsolutePath() : common;
  }
}
