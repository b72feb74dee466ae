package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code tcpspec fuzz}: its usage errors, and a one-second run that prints what it did. */
class FuzzCommandTest {
  @Test
  void secondsBelowOneIsAUsageErrorNamingTheOption() {
    CliRun r = CliRun.of("fuzz", "--seconds", "0");
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode());
    assertTrue(r.err().contains("--seconds"), r.err());
  }

  @Test
  void secondsAreRequired() {
    CliRun r = CliRun.of("fuzz", "--seed", "1");
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode());
    assertTrue(r.err().contains("--seconds"), r.err());
  }

  @Test
  void aShortRunPrintsItsRateAndNoFindings() {
    CliRun r = CliRun.of("fuzz", "--seconds", "1", "--seed", "7");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("tcpspec fuzz: seed 7, 1 s"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("segments: ") && l.endsWith(" segments/s")), r.out());
    assertTrue(r.out().contains("findings: 0"), r.out());
  }
}
