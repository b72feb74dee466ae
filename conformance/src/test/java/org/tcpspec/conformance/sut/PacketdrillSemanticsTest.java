package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.RunOptions;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.Variant;
import org.tcpspec.conformance.run.Verdict;

/**
 * The linux system under test as a faithful packetdrill (issue 11): scripts written here, in
 * src/test/resources/packetdrill-semantics, each about one thing packetdrill does that tcpspec got
 * wrong or lacked (blocking calls completed by later packets, remote sequence numbers relative to
 * the SYN's, aggregated segments, NULL buffers, shell lines, command-line and header options,
 * Python blocks). Each carries {@code // expect: <verdict> [first line of the message]} ({@code
 * {file}} stands for its path; the message is matched as a prefix) and may carry {@code // args:}
 * with packetdrill command-line options. They run on the kernel, in a namespace each.
 */
class PacketdrillSemanticsTest {
  static final Path CORPUS = Path.of("src/test/resources/packetdrill-semantics");
  /** Generous: the build machine is shared (see LinuxSutTest). */
  static final long TOLERANCE = 250_000;

  @Test
  void everyScriptHasItsExpectedVerdictOnLinux() throws IOException {
    assumeTrue(LinuxSut.factory().unavailable().isEmpty(), "linux system under test unavailable");
    List<Path> scripts = Runner.collect(List.of(CORPUS));
    assertTrue(scripts.size() >= 20, "corpus has " + scripts.size() + " scripts");
    List<String> mismatches = new ArrayList<>();
    for (Path p : scripts) {
      List<String> lines = Files.readAllLines(p);
      String expect = tagged(p, lines, "expect").orElseThrow(
          () -> new AssertionError(p + " has no // expect: line")).replace("{file}", p.toString());
      List<String> args = tagged(p, lines, "args").map(a -> List.of(a.split(" +"))).orElse(List.of());
      RunOptions options = new RunOptions(TOLERANCE, Variant.arguments(args), List.of(Variant.NONE));
      RunResult r = Runner.runOne(p, LinuxSut.factory(), options, Variant.NONE);
      String detail = Verdict.detail(r.verdict());
      String actual = Verdict.word(r.verdict())
          + (detail.isEmpty() ? "" : " " + detail.lines().findFirst().orElse(""));
      boolean matches = expect.equals("pass") ? actual.equals("pass") : actual.startsWith(expect);
      if (!matches) mismatches.add(p + "\n  expected: " + expect + "\n  actual:   " + actual + "\n" + detail);
    }
    assertEquals(List.of(), mismatches);
  }

  private static java.util.Optional<String> tagged(Path p, List<String> lines, String tag) {
    return lines.stream().filter(l -> l.startsWith("// " + tag + ": ")).findFirst()
        .map(l -> l.substring(("// " + tag + ": ").length()).strip());
  }
}
