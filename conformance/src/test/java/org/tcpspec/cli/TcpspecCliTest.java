package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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
  void aNamedSubcommandIsBuiltAloneAndAnswersAsAmongAll() {
    assertEquals(List.of(RunCommand.class), TcpspecCli.subcommandsFor("run", "--sut", "java"));
    assertEquals(TcpspecCli.SUBCOMMANDS, TcpspecCli.subcommandsFor("help", "run"));
    assertEquals(TcpspecCli.SUBCOMMANDS, TcpspecCli.subcommandsFor("--help"));
    assertEquals(TcpspecCli.SUBCOMMANDS, TcpspecCli.subcommandsFor("frobnicate"));
    for (String name : TcpspecCli.commandLine().getSubcommands().keySet()) {
      for (List<String> args : List.of(List.of(name, "--help"), List.of(name, "--no-such-flag"))) {
        CliRun alone = run(args.toArray(String[]::new));
        CliRun amongAll = inFullCommandLine(args.toArray(String[]::new));
        assertEquals(amongAll, alone, String.join(" ", args));
      }
    }
  }

  /** A run in the command line with every subcommand, as before main built only the named one. */
  private static CliRun inFullCommandLine(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TcpspecCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  @Test
  void linuxIsWarmedUpBeforeParsingOnlyForRunAndConformWithLinux() {
    assertTrue(TcpspecCli.playsLinuxCells("run", "x.pkt"));
    assertTrue(TcpspecCli.playsLinuxCells("conform"));
    assertTrue(TcpspecCli.playsLinuxCells("run", "--sut", "java,linux", "x.pkt"));
    assertTrue(TcpspecCli.playsLinuxCells("run", "--sut=linux", "x.pkt"));
    assertTrue(TcpspecCli.playsLinuxCells("run", "--sut", "java", "--sut", "linux"));
    assertFalse(TcpspecCli.playsLinuxCells("run", "--sut", "java", "x.pkt"));
    assertFalse(TcpspecCli.playsLinuxCells("run", "--sut=java"));
    assertFalse(TcpspecCli.playsLinuxCells("check"));
    assertFalse(TcpspecCli.playsLinuxCells());
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
