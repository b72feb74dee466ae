package org.tcpspec.conformance.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.wire.TcpFlags;

/**
 * Plays generated sequences on a reference system under test and judges another against it, for a
 * bounded time and number of findings. Per sequence: the stimulus script on the reference, recorded
 * ({@link RecordingSut}); the reference's outputs made the expected lines ({@link ExpectedScript});
 * that script on the judged system, recorded too. A failure there, or a packet it sent that the
 * reference did not, is a divergence. The first sequence with a new signature is checked once more
 * on the reference (its own expected script must pass there, else the reference did not repeat
 * itself: real time, a timer at the tail's edge), shrunk, and written as a .pkt into the output
 * folder with {@code findings.md}; later sequences with the same signature are counted.
 */
public final class Differ {
  /** Tolerance of the scripts: the reference's timing is real and observed to the millisecond. */
  static final long TOLERANCE_MICROS = 10_000;
  /** Longest a finding's shrinking may take, so that one finding cannot eat the run. */
  static final long SHRINK_NANOS = 120_000_000_000L;

  /** A position in an expected script of the work folder, as failure messages name it. */
  private static final Pattern WORK_POSITION = Pattern.compile("\\S*expected-\\d+\\.pkt:(\\d+)");

  /** How a reviewed finding's script opens; the signature follows. */
  static final String FINDING_PREFIX = "// Differential finding: ";

  private final SutFactory reference;
  private final SutFactory judged;
  private final Path out;
  private final Path work;
  private final Set<String> known;

  /** What a run found. */
  public record Outcome(int sequences, int agreed, int diverged, int known, int notJudged, int unstable,
      List<Finding> findings, List<String> notJudgedReasons) {}

  /** What one sequence did. */
  private sealed interface Trial {
    record Agreed() implements Trial {}

    record Diverged(Divergence divergence, String expectedScript) implements Trial {}

    record NotJudged(String reason) implements Trial {}
  }

  public Differ(SutFactory reference, SutFactory judged, Path out) {
    this(reference, judged, out, Set.of());
  }

  /**
   * @param known signatures of reviewed findings: sequences that diverge with one of them are
   *     counted, not confirmed, shrunk or written again
   */
  public Differ(SutFactory reference, SutFactory judged, Path out, Set<String> known) {
    this.reference = reference;
    this.judged = judged;
    this.out = out;
    this.work = out.resolve("work");
    this.known = Set.copyOf(known);
  }

  /**
   * The signatures of the findings in a folder of reviewed ones (the first line of each .pkt), but
   * for the fixed ones ({@value #FIXED}): java diverging that way again is a regression, a finding.
   */
  public static Set<String> reviewedSignatures(Path folder) throws IOException {
    Set<String> signatures = new java.util.TreeSet<>();
    try (Stream<Path> s = Files.list(folder)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".pkt")).toList()) {
        List<String> lines = Files.readAllLines(p);
        String first = lines.isEmpty() ? "" : lines.getFirst();
        boolean fixed = lines.stream().anyMatch(l -> l.startsWith(FIXED));
        if (first.startsWith(FINDING_PREFIX) && !fixed) signatures.add(first.substring(FINDING_PREFIX.length()));
      }
    }
    return signatures;
  }

  /** How the review line of a fixed finding starts. */
  static final String FIXED = "// Review: FIXED";

  /**
   * Plays sequences of seeds {@code seed}, {@code seed + 1}, ... until {@code budgetNanos} passed,
   * {@code maxSequences} were played or {@code maxFindings} were written.
   */
  public Outcome run(long seed, long budgetNanos, int maxSequences, int maxFindings, Consumer<String> progress)
      throws IOException {
    Files.createDirectories(work);
    long start = System.nanoTime();
    reference.warmUp();
    Map<String, Finding> findings = new LinkedHashMap<>();
    List<String> notJudgedReasons = new ArrayList<>();
    int sequences = 0;
    int agreed = 0;
    int diverged = 0;
    int knownHits = 0;
    int notJudged = 0;
    int unstable = 0;
    while (System.nanoTime() - start < budgetNanos && sequences < maxSequences && findings.size() < maxFindings) {
      EdgeSequence sequence = EdgeGenerator.generate(seed + sequences);
      sequences++;
      Trial t = trial(sequence);
      switch (t) {
        case Trial.Agreed a -> agreed++;
        case Trial.NotJudged n -> {
          notJudged++;
          if (notJudgedReasons.size() < 10) notJudgedReasons.add("seed " + sequence.seed() + ": " + n.reason());
        }
        case Trial.Diverged d -> {
          diverged++;
          String signature = d.divergence().signature();
          Finding found = findings.get(signature);
          if (known.contains(signature)) {
            knownHits++;
          } else if (found != null) {
            findings.put(signature, found.withHits(found.hits() + 1));
          } else if (!passes(reference, d.expectedScript(), "confirm-" + sequence.seed())) {
            unstable++;
          } else {
            progress.accept(String.format("  seed %d: %s; shrinking %d steps", sequence.seed(), signature,
                sequence.body().size()));
            long shrinkEnd = Math.min(start + budgetNanos, System.nanoTime() + SHRINK_NANOS);
            Finding f = shrinkAndWrite(sequence, d, findings.size() + 1, shrinkEnd);
            findings.put(signature, f);
            progress.accept(String.format("  finding %d: %s (%d of %d steps) %s", findings.size(), signature,
                f.stepsAfter(), f.stepsBefore(), out.relativize(f.script())));
          }
        }
      }
      if (sequences % 10 == 0) {
        progress.accept(String.format("%.0f s: %d sequences, %d agreed, %d diverged (%d known), %d not judged,"
            + " %d findings", (System.nanoTime() - start) / 1e9, sequences, agreed, diverged, knownHits, notJudged,
            findings.size()));
      }
    }
    deleteWork();
    Outcome o = new Outcome(sequences, agreed, diverged, knownHits, notJudged, unstable, List.copyOf(findings.values()),
        List.copyOf(notJudgedReasons));
    FindingsFile.write(out.resolve("findings.md"), o, seed, reference.name(), judged.name());
    return o;
  }

  /** Shrinks a divergence's sequence while the same signature persists, and writes its script. */
  private Finding shrinkAndWrite(EdgeSequence sequence, Trial.Diverged first, int number, long endNanos)
      throws IOException {
    String signature = first.divergence().signature();
    AtomicReference<Trial.Diverged> last = new AtomicReference<>(first);
    List<Step> body = Shrinker.shrink(sequence.body(), candidate -> {
      Trial t = trial(sequence.withBody(candidate));
      if (t instanceof Trial.Diverged d && d.divergence().signature().equals(signature)) {
        last.set(d);
        return true;
      }
      return false;
    }, () -> System.nanoTime() < endNanos);
    EdgeSequence shrunk = sequence.withBody(body);
    Trial.Diverged d = last.get();
    boolean repeated = passes(reference, d.expectedScript(), "confirm-shrunk-" + sequence.seed());
    Path file = out.resolve(String.format("%02d-%s.pkt", number, slug(signature)));
    Files.writeString(file, findingHeader(shrunk, sequence.body().size(), d, repeated, file) + d.expectedScript());
    return new Finding(signature, file, sequence.seed(), sequence.body().size(), body.size(), 1, repeated);
  }

  /**
   * The finding's opening comment; the judged run's message names the finding's own file and line
   * (the comment's lines counted) instead of the expected script in the work folder.
   */
  private String findingHeader(EdgeSequence shrunk, int stepsBefore, Trial.Diverged d, boolean repeated, Path file) {
    List<String> message = d.divergence().message().lines().toList();
    int headerLines = 4 + message.size();
    Matcher m = WORK_POSITION.matcher(String.join("\n", message));
    StringBuilder text = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(text, Matcher.quoteReplacement(
          file.getFileName() + ":" + (Integer.parseInt(m.group(1)) + headerLines)));
    }
    m.appendTail(text);
    StringBuilder b = new StringBuilder();
    b.append(FINDING_PREFIX).append(d.divergence().signature()).append('\n');
    b.append("// tcpspec differ, sequence seed ").append(shrunk.seed()).append(", shrunk from ").append(stepsBefore)
        .append(" to ").append(shrunk.body().size()).append(" steps: ").append(shrunk.summary()).append('\n');
    b.append("// The outbound lines and call results are what ").append(reference.name()).append(" did")
        .append(repeated ? " (it passed this script again)" : " (it did NOT pass this script again: check by hand)")
        .append("; ").append(judged.name()).append(" differs:\n");
    text.toString().lines().forEach(l -> b.append("//   ").append(l).append('\n'));
    b.append("// Review: (reason)\n");
    return b.toString();
  }

  /** One sequence: the reference recorded, its expected script, the judged system on it. */
  private Trial trial(EdgeSequence sequence) {
    try {
      Path stimulus = work.resolve("stimulus-" + sequence.seed() + ".pkt");
      Files.writeString(stimulus, sequence.stimulusScript());
      List<RecordingSut> referenceRuns = new ArrayList<>();
      RunResult r = Runner.runOne(stimulus, RecordingSut.factory(reference, referenceRuns::add));
      if (!(r.verdict() instanceof Verdict.Pass) || referenceRuns.size() != 1) {
        return new Trial.NotJudged(reference.name() + " " + Verdict.word(r.verdict()) + ": "
            + Verdict.detail(r.verdict()).lines().findFirst().orElse(""));
      }
      Optional<String> expected = ExpectedScript.of(sequence, referenceRuns.getFirst(), "");
      if (expected.isEmpty()) return new Trial.NotJudged("the recording does not match the steps");
      Path script = work.resolve("expected-" + sequence.seed() + ".pkt");
      Files.writeString(script, expected.get());
      List<RecordingSut> judgedRuns = new ArrayList<>();
      RunResult j = Runner.runOne(script, RecordingSut.factory(judged, judgedRuns::add));
      return switch (j.verdict()) {
        case Verdict.Fail f -> new Trial.Diverged(Divergence.ofFailure(f.message(), reference.name(), judged.name()), expected.get());
        case Verdict.Pass p -> extra(sequence, judgedRuns).<Trial>map(x -> new Trial.Diverged(x, expected.get()))
            .orElse(new Trial.Agreed());
        default -> new Trial.NotJudged(judged.name() + " " + Verdict.word(j.verdict()) + ": "
            + Verdict.detail(j.verdict()).lines().findFirst().orElse(""));
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A packet the judged system sent that no line expected: the reference did not send it. */
  private Optional<Divergence> extra(EdgeSequence sequence, List<RecordingSut> runs) {
    if (runs.size() != 1) return Optional.empty();
    RecordingSut run = runs.getFirst();
    for (RecordingSut.Entry e : run.log()) {
      if (e instanceof RecordingSut.Entry.Sent s && !s.expected) {
        String flags = TcpFlags.toPacketdrill(s.packet.segment().flags());
        return Optional.of(Divergence.extra(flags, run.name() + " sent a segment no line expects: "
            + ExpectedScript.describe(sequence, run, s), reference.name(), judged.name()));
      }
    }
    return Optional.empty();
  }

  private boolean passes(SutFactory sut, String script, String name) throws IOException {
    Path file = work.resolve(name + ".pkt");
    Files.writeString(file, script);
    return Runner.runOne(file, sut).verdict() instanceof Verdict.Pass;
  }

  private void deleteWork() throws IOException {
    try (Stream<Path> s = Files.list(work)) {
      for (Path p : s.toList()) Files.delete(p);
    }
    Files.delete(work);
  }

  private static String slug(String signature) {
    String s = signature.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return s.length() > 50 ? s.substring(0, 50) : s;
  }
}
