package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.RunOptions;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.Variant;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.script.Parser;
import org.tcpspec.conformance.script.Script;
import org.tcpspec.conformance.script.Unsupported;

/**
 * Scripts written in other people's styles (google/packetdrill's gtests, the FreeBSD
 * tcp-testsuite), all written here, in src/test/resources/foreign-style. Each parses. A comment
 * line {@code runs: linux, java} marks those that must pass on those systems; a line
 * {@code unsupported: <features>} marks those that use constructs outside the subset, which
 * must be reported as exactly that verdict (at parse time or when the run reaches them), never
 * as a parse error. Scripts with neither line are parsed only and must use nothing unsupported.
 */
class ForeignStyleTest {
  static final Path CORPUS = Path.of("src/test/resources/foreign-style");
  /** Generous: the build machine is shared (see LinuxSutTest). */
  static final long LINUX_TOLERANCE = 250_000;

  private static final Pattern TAG = Pattern.compile("^\\s*(?://|\\*)\\s*(runs|unsupported): (.*)$");

  record Corpus(Path path, List<String> runsOn, Optional<String> unsupported) {}

  static List<Corpus> corpus() throws IOException {
    List<Corpus> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(CORPUS)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".pkt")).sorted().toList()) {
        List<String> runsOn = List.of();
        Optional<String> unsupported = Optional.empty();
        for (String line : Files.readAllLines(p)) {
          Matcher m = TAG.matcher(line);
          if (!m.matches()) continue;
          if (m.group(1).equals("runs")) runsOn = List.of(m.group(2).strip().split("\\s*,\\s*"));
          else unsupported = Optional.of(m.group(2).strip());
        }
        all.add(new Corpus(p, runsOn, unsupported));
      }
    }
    return all;
  }

  @Test
  void everyScriptParsesAndOnlyTheMarkedOnesUseUnsupportedConstructs() throws Exception {
    List<Corpus> corpus = corpus();
    assertTrue(corpus.size() >= 10, "corpus has " + corpus.size() + " scripts");
    List<String> problems = new ArrayList<>();
    for (Corpus c : corpus) {
      Script s = Parser.parse(c.path()); // a ScriptException fails the test, naming file:line:column
      if (c.unsupported().isEmpty() && !s.unsupported().isEmpty()) {
        problems.add(c.path() + ": " + s.unsupported().stream().map(Unsupported::toString).toList());
      }
      if (s.events().size() < 3) problems.add(c.path() + ": only " + s.events().size() + " events");
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void unsupportedConstructsAreReportedPerScriptNotAsParseErrors() throws Exception {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Corpus c : corpus()) {
      if (c.unsupported().isEmpty()) continue;
      RunResult r = Runner.runOne(c.path(), JavaSut.factory());
      String actual = r.verdict() instanceof Verdict.Unsupported u
          ? String.join(", ", u.features()) : r.verdict().toString();
      if (!actual.equals(c.unsupported().get())) {
        problems.add(c.path() + "\n  expected: unsupported: " + c.unsupported().get() + "\n  actual:   " + actual);
      }
      checked++;
    }
    // gtests-ipv6.pkt runs since issue 14, gtests-icmp-input.pkt since issue 18.
    assertTrue(checked >= 3, "checked " + checked);
    assertEquals(List.of(), problems);
  }

  @Test
  void theRunnableOnesPassOnTheJavaStack() throws Exception {
    assertEquals(List.of(), failures("java", JavaSut.factory(), 0));
  }

  @Test
  void theRunnableOnesPassOnLinux() throws Exception {
    assumeTrue(LinuxSut.factory().unavailable().isEmpty(), "linux system under test unavailable");
    assertEquals(List.of(), failures("linux", LinuxSut.factory(), LINUX_TOLERANCE));
  }

  private static List<String> failures(String sut, SutFactory factory, long toleranceMicros) throws IOException {
    List<String> failures = new ArrayList<>();
    int ran = 0;
    for (Corpus c : corpus()) {
      if (!c.runsOn().contains(sut)) continue;
      RunResult r = toleranceMicros > 0
          ? Runner.runOne(c.path(), factory, RunOptions.withTolerance(toleranceMicros), Variant.NONE)
          : Runner.runOne(c.path(), factory);
      if (!(r.verdict() instanceof Verdict.Pass)) failures.add(c.path() + ": " + r.verdict());
      ran++;
    }
    if (ran < 3) failures.add("only " + ran + " scripts are marked to run on " + sut);
    return failures;
  }
}
