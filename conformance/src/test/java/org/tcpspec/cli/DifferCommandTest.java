package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.SystemUnderTest;
import org.tcpspec.conformance.sut.Suts;

class DifferCommandTest {

  @Test
  void usageErrorsExitTwo() {
    assertEquals(TcpspecCli.EXIT_USAGE, CliRun.of("differ").exitCode());
    assertEquals(TcpspecCli.EXIT_USAGE, CliRun.of("differ", "--seconds", "0").exitCode());
    assertEquals(TcpspecCli.EXIT_USAGE, CliRun.of("differ", "--seconds", "5", "--max-findings", "0").exitCode());
    CliRun r = CliRun.of("differ", "--seconds", "5", "--reference", "bsd");
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode());
    assertTrue(r.err().contains("--reference: no system under test 'bsd'"), r.err());
    CliRun k = CliRun.of("differ", "--seconds", "5", "--known", "no-such-folder");
    assertEquals(TcpspecCli.EXIT_USAGE, k.exitCode());
    assertTrue(k.err().contains("--known: no such folder: no-such-folder"), k.err());
  }

  @Test
  void anUnavailableReferenceSaysWhyAndExitsOne(@TempDir Path out) {
    Function<String, Optional<SutFactory>> suts = name -> name.equals("linux")
        ? Optional.of(unavailable()) : Suts.byName(name);
    CliRun r = CliRun.with(suts, "differ", "--seconds", "5", "--out", out.toString());
    assertEquals(1, r.exitCode(), r.out());
    assertEquals("linux: needs root (test seam); nothing run", r.out().strip());
  }

  @Test
  void javaAgainstItselfFindsNothingAndExitsZero(@TempDir Path out) throws IOException {
    CliRun r = CliRun.of("differ", "--reference", "java", "--judged", "java", "--seconds", "60", "--sequences", "3",
        "--seed", "5", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("sequences: 3 in "), r.out());
    assertTrue(r.out().contains("findings: 0 ("), r.out());
    assertTrue(Files.readString(out.resolve("findings.md")).contains("Seeds 5 to 7: 3 sequences, 3 agreed"));
  }

  private static SutFactory unavailable() {
    return new SutFactory() {
      @Override
      public String name() {
        return "linux";
      }

      @Override
      public Optional<String> unavailable() {
        return Optional.of("needs root (test seam)");
      }

      @Override
      public boolean parallel() {
        return false;
      }

      @Override
      public SystemUnderTest open(String scriptName, RunConfig config) throws IOException {
        throw new IOException("not available");
      }
    };
  }
}
