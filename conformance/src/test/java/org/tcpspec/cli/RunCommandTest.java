package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunCommandTest {


  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(TcpspecCli.EXIT_USAGE, run("run").exitCode());
    CliRun missing = run("run", "--sut", "java", "no/such/dir");
    assertEquals(TcpspecCli.EXIT_USAGE, missing.exitCode());
    assertTrue(missing.err().contains("no such file or directory: no/such/dir"), missing.err());
    CliRun badSut = run("run", "--sut", "bsd", "../packetdrill-scripts/listen");
    assertEquals(TcpspecCli.EXIT_USAGE, badSut.exitCode());
    assertTrue(badSut.err().contains("unknown system under test 'bsd'"), badSut.err());
  }

  @Test
  void passingScriptsPrintOneLineEachAndTheTotal() {
    CliRun r = run("run", "--sut", "java", "../packetdrill-scripts/closed");
    assertEquals(0, r.exitCode(), r.out());
    assertEquals(5, r.out().lines().filter(l -> l.startsWith("pass")).count(), r.out());
    assertTrue(r.out().contains("5 passed, 0 failed"), r.out());
  }

  @Test
  void aBadScriptFailsTheRunNamingFileLineAndColumn() {
    String script = "../packetdrill-scripts/selftest/parse-missing-colon.pkt";
    CliRun r = run("run", "--sut", "java", script);
    assertEquals(1, r.exitCode(), r.out());
    assertTrue(r.out().contains(script + ":5:8: expected ':', found '('"), r.out());
    assertTrue(r.out().contains("0 passed, 1 failed"), r.out());
  }
}
