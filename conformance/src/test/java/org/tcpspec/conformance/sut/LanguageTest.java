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
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.RunOptions;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.Variant;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.Verdict;

/**
 * The language of packetdrill as its scripts use it, one feature a script, written here in
 * src/test/resources/language: IP header fields, ICMP, Fast Open and MD5 options, errno names as
 * values, sendmsg/recvmsg with control messages, the error queue, timestamping, epoll, ioctl,
 * open, sendfile, pipe, splice, iovecs, option values. Each feature has a script that shows its
 * effect on Linux and a {@code -wrong} twin whose one wrong value must fail, with the message
 * that names it, so a feature that silently does nothing cannot pass both. A comment line {@code
 * linux: <verdict>} (or {@code java: <verdict>}) gives the expected verdict: {@code pass}, {@code
 * fail <message>}, {@code error <message>} or {@code unsupported: <features>}; a message matches
 * by its beginning, file names without their folder.
 */
class LanguageTest {
  static final Path CORPUS = Path.of("src/test/resources/language");

  private static final Pattern EXPECT = Pattern.compile("^//\\s*(linux|java): (.*)$");

  record Expectation(Path script, String sut, String verdict) {}

  static List<Expectation> expectations(String sut) throws IOException {
    List<Expectation> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(CORPUS)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".pkt")).sorted().toList()) {
        for (String line : Files.readAllLines(p)) {
          Matcher m = EXPECT.matcher(line);
          if (m.matches() && m.group(1).equals(sut)) all.add(new Expectation(p, sut, m.group(2).strip()));
        }
      }
    }
    return all;
  }

  /** The verdict as the expectation lines spell it, file names without their folder. */
  static String spelled(RunResult r, Path script) {
    String detail = Verdict.detail(r.verdict()).replace(script.toString(), script.getFileName().toString());
    return switch (r.verdict()) {
      case Verdict.Pass p -> "pass";
      case Verdict.Unsupported u -> detail;
      default -> Verdict.word(r.verdict()) + " " + detail;
    };
  }

  private static List<String> mismatches(List<Expectation> expected, SutFactory factory, Optional<Long> toleranceMicros) {
    List<String> out = new ArrayList<>();
    for (Expectation e : expected) {
      RunResult r = toleranceMicros.isPresent()
          ? Runner.runOne(e.script(), factory, RunOptions.withTolerance(toleranceMicros.get()), Variant.NONE) : Runner.runOne(e.script(), factory);
      String actual = spelled(r, e.script());
      if (!actual.startsWith(e.verdict())) {
        out.add(e.script() + " on " + e.sut() + "\n  expected: " + e.verdict() + "\n  actual:   " + actual);
      }
    }
    return out;
  }

  @Test
  void everyFeatureHasAScriptThatPassesAndAWrongTwinThatFails() throws IOException {
    List<Expectation> linux = expectations("linux");
    List<String> problems = new ArrayList<>();
    for (Expectation e : linux) {
      String name = e.script().getFileName().toString();
      if (name.endsWith("-wrong.pkt")) {
        if (!e.verdict().startsWith("fail ")) problems.add(name + ": a wrong twin must fail");
        Path twin = e.script().resolveSibling(name.replace("-wrong.pkt", ".pkt"));
        if (!Files.exists(twin)) problems.add(name + ": no " + twin.getFileName());
      }
    }
    long passing = linux.stream().filter(e -> e.verdict().equals("pass")).count();
    assertTrue(passing >= 15, passing + " features pass on linux");
    assertEquals(List.of(), problems);
  }

  @Test
  void scriptsGiveTheirVerdictsOnLinux() throws IOException {
    assumeTrue(LinuxSut.factory().unavailable().isEmpty(), "linux system under test unavailable");
    assertEquals(List.of(), mismatches(expectations("linux"), LinuxSut.factory(),
        Optional.of(ForeignStyleTest.LINUX_TOLERANCE)));
  }

  /** The Java stack answers what it lacks with unsupported and the feature, never a parse error. */
  @Test
  void scriptsGiveTheirVerdictsOnJava() throws IOException {
    List<Expectation> java = expectations("java");
    assertTrue(java.size() >= 6, java.size() + " scripts say what java gives");
    assertEquals(List.of(), mismatches(java, JavaSut.factory(), Optional.empty()));
  }
}
