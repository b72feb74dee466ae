package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TcpspecCliTest {


  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void helpListsTheSubcommandsAndExitsZero() {
    CliRun r = run("--help");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("conform"), r.out());
  }

  @Test
  void unknownSubcommandIsAUsageErrorNamingIt() {
    CliRun r = run("frobnicate");
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode());
    assertTrue(r.err().contains("frobnicate"), r.err());
  }

  @Test
  void unknownFlagIsAUsageErrorNamingIt() {
    CliRun r = run("--no-such-flag");
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode());
    assertTrue(r.err().contains("--no-such-flag"), r.err());
  }

  @Test
  void noSubcommandIsAUsageError() {
    CliRun r = run();
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode());
    assertTrue(r.err().contains("missing subcommand"), r.err());
  }
}
