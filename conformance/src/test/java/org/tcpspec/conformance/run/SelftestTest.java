package org.tcpspec.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The interpreter's self-tests: scripts in packetdrill-scripts/selftest with deliberate mistakes,
 * each carrying its expected verdict and message in a {@code // expect:} comment. They run
 * against a system under test that answers every call with 0 and sends nothing.
 */
class SelftestTest {

  static final class Quiet implements SutFactory {
    @Override
    public String name() {
      return "fake";
    }

    @Override
    public Optional<String> unavailable() {
      return Optional.empty();
    }

    @Override
    public boolean parallel() {
      return false;
    }

    @Override
    public SystemUnderTest open(String scriptName, RunConfig config) {
      return new FakeSut();
    }
  }

  @Test
  void everySelftestFailsWithItsExpectedMessage() throws IOException {
    List<Path> scripts = Runner.collect(List.of(Path.of("../packetdrill-scripts/selftest")));
    assertEquals(12, scripts.size());
    List<String> mismatches = new ArrayList<>();
    for (Path p : scripts) {
      String expect = Files.readAllLines(p).stream()
          .filter(l -> l.startsWith("// expect: ")).findFirst()
          .orElseThrow(() -> new AssertionError(p + " has no // expect: line"))
          .substring("// expect: ".length()).replace("{file}", p.toString());
      RunResult r = Runner.runOne(p, new Quiet());
      String actual = Verdict.word(r.verdict()) + " " + Verdict.detail(r.verdict());
      if (!actual.equals(expect)) mismatches.add(p + "\n  expected: " + expect + "\n  actual:   " + actual);
    }
    assertEquals(List.of(), mismatches);
  }

  @Test
  void suiteFoldersSkipSelftestsUnlessNamed() throws IOException {
    List<Path> suite = Runner.collect(List.of(Path.of("../packetdrill-scripts")));
    assertEquals(List.of(), suite.stream().filter(p -> p.toString().contains("selftest")).toList());
  }
}
