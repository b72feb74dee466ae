package org.tcpspec.conformance.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;

/**
 * How each script went on one Linux release, recorded by {@code conform --record-baseline} in
 * {@code reports/baselines/linux-<release>.tsv} (release as {@code uname -r} prints it): one line
 * per script, {@code script <TAB> outcome <TAB> detail}. The outcome is what stays the same from
 * run to run on one kernel: {@code pass}, {@code fail line N}, {@code error line N} (the script
 * line where it stopped) or {@code unsupported}; the detail is the first line of the message, for
 * people.
 *
 * <p>On a kernel without a baseline of its own, a linux cell that fails where the nearest older
 * release's baseline says otherwise reads "Linux changed since &lt;release&gt;": the suite was
 * written against that kernel, so the difference is news about Linux, not a failure of the suite
 * or of our stack. On a kernel with its own baseline, a failing cell fails as always.
 */
public record LinuxBaseline(String release, Map<String, Outcome> outcomes) {

  /** The system under test that baselines are about. */
  public static final String SUT = "linux";

  private static final String PREFIX = "linux-";
  private static final String SUFFIX = ".tsv";
  private static final Pattern FILE_LINE = Pattern.compile("^\\S*?:(\\d+):");
  private static final Pattern RELEASE_NUMBERS = Pattern.compile("^(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

  /** One script's outcome: the part that is compared, and the message's first line. */
  public record Outcome(String key, String detail) {}

  /** A linux cell whose outcome differs from the reference baseline's. */
  public record Change(String since, Outcome was, Outcome now) {
    public String describe() {
      return "Linux changed since " + since + ": " + was.key() + " there, " + now.key() + " here";
    }
  }

  public LinuxBaseline {
    outcomes = Map.copyOf(outcomes);
  }

  /** The outcome of one run, empty for a system that did not run it. */
  public static Optional<Outcome> outcomeOf(RunResult r) {
    String detail = Verdict.detail(r.verdict()).lines().findFirst().orElse("");
    Matcher m = FILE_LINE.matcher(detail);
    String at = m.find() ? " line " + m.group(1) : "";
    return switch (r.verdict()) {
      case Verdict.Pass p -> Optional.of(new Outcome("pass", ""));
      case Verdict.Fail f -> Optional.of(new Outcome("fail" + at, detail));
      case Verdict.Error e -> Optional.of(new Outcome("error" + at, detail));
      case Verdict.Unsupported u -> Optional.of(new Outcome("unsupported", detail));
      case Verdict.NotAvailable n -> Optional.empty();
    };
  }

  /** The baseline of {@code release} from the linux cells of a report. */
  public static LinuxBaseline of(String release, List<Cell> cells) {
    Map<String, Outcome> outcomes = new TreeMap<>();
    for (Cell c : cells) {
      if (!c.result().sut().equals(SUT)) continue;
      outcomeOf(c.result()).ifPresent(o -> outcomes.put(c.result().script(), o));
    }
    return new LinuxBaseline(release, outcomes);
  }

  public Optional<Outcome> outcome(String script) {
    return Optional.ofNullable(outcomes.get(script));
  }

  /** The file's text; {@code recordedOn} is a date for the header comment. */
  public String format(String recordedOn) {
    StringBuilder b = new StringBuilder("# Linux " + release + " (uname -r), recorded by tcpspec conform"
        + " --record-baseline on " + recordedOn + ".\n# script\toutcome\tdetail (first line of the message)\n");
    new TreeMap<>(outcomes).forEach((script, o) ->
        b.append(script).append('\t').append(o.key()).append('\t').append(o.detail().replace('\t', ' ')).append('\n'));
    return b.toString();
  }

  public static Path file(Path dir, String release) {
    return dir.resolve(PREFIX + release + SUFFIX);
  }

  /**
   * Reads one baseline file.
   *
   * @throws IllegalArgumentException naming file and line for a line without an outcome
   */
  public static LinuxBaseline read(Path file) throws IOException {
    String name = file.getFileName().toString();
    String release = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
    Map<String, Outcome> outcomes = new TreeMap<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isBlank() || l.startsWith("#")) continue;
      String[] f = l.split("\t", 3);
      if (f.length < 2 || f[1].isBlank()) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'script<TAB>outcome<TAB>detail', found '"
            + l + "'");
      }
      outcomes.put(f[0], new Outcome(f[1], f.length > 2 ? f[2] : ""));
    }
    return new LinuxBaseline(release, outcomes);
  }

  /** Every {@code linux-*.tsv} in {@code dir}, oldest release first; none when there is no folder. */
  public static List<LinuxBaseline> readAll(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    List<LinuxBaseline> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> {
        String n = f.getFileName().toString();
        return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
      }).toList()) {
        all.add(read(f));
      }
    }
    all.sort(Comparator.comparing(LinuxBaseline::release, LinuxBaseline::compareReleases));
    return all;
  }

  /**
   * The baseline that linux cells on {@code release} are compared with: none when {@code release}
   * has a baseline of its own (its cells fail as always), else the nearest older release's, if any.
   */
  public static Optional<LinuxBaseline> reference(List<LinuxBaseline> all, String release) {
    if (all.stream().anyMatch(b -> b.release().equals(release))) return Optional.empty();
    return all.stream().filter(b -> compareReleases(b.release(), release) < 0)
        .max(Comparator.comparing(LinuxBaseline::release, LinuxBaseline::compareReleases));
  }

  /** The change of {@code r} against this baseline, when its outcome differs from the recorded one. */
  public Optional<Change> changeOf(RunResult r) {
    Optional<Outcome> now = outcomeOf(r);
    Optional<Outcome> was = outcome(r.script());
    if (now.isEmpty() || was.isEmpty() || now.get().key().equals(was.get().key())) return Optional.empty();
    return Optional.of(new Change(release, was.get(), now.get()));
  }

  /**
   * Orders releases as kernels number them: major, minor, patch numerically ({@code 6.9} before
   * {@code 6.18}), then the rest of the string.
   */
  public static int compareReleases(String a, String b) {
    long[] x = numbers(a);
    long[] y = numbers(b);
    for (int i = 0; i < 3; i++) {
      if (x[i] != y[i]) return Long.compare(x[i], y[i]);
    }
    return a.compareTo(b);
  }

  private static long[] numbers(String release) {
    Matcher m = RELEASE_NUMBERS.matcher(release);
    long[] n = new long[3];
    if (m.find()) {
      for (int i = 0; i < 3; i++) n[i] = m.group(i + 1) == null ? 0 : Long.parseLong(m.group(i + 1));
    }
    return n;
  }
}
