package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TcpspecCliTest {

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void helpListsTheSubcommandsAndTheExitCodesAndExitsZero() {
    CliRun r = run("--help");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("conform"), r.out());
    assertTrue(r.out().contains("Exit codes: 0 success; 1 "), r.out());
  }

  @Test
  void everySubcommandAnswersHelpWithItsUsageAndExitsZero() {
    List<String> names = List.copyOf(TcpspecCli.commandLine().getSubcommands().keySet());
    assertTrue(names.containsAll(List.of("run", "conform", "check")), names.toString());
    for (String name : names) {
      CliRun r = run(name, "--help");
      assertEquals(0, r.exitCode(), name + ": " + r.err());
      assertTrue(r.out().contains("Usage: tcpspec " + name), name + ": " + r.out());
      assertEquals("", r.err(), name);
    }
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
