package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TcpspecCliTest {

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TcpspecCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsTheSubcommandsAndExitsZero() {
    Run r = run("--help");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("conform"), r.out());
  }

  @Test
  void unknownSubcommandIsAUsageErrorNamingIt() {
    Run r = run("frobnicate");
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode());
    assertTrue(r.err().contains("frobnicate"), r.err());
  }

  @Test
  void unknownFlagIsAUsageErrorNamingIt() {
    Run r = run("--no-such-flag");
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode());
    assertTrue(r.err().contains("--no-such-flag"), r.err());
  }

  @Test
  void noSubcommandIsAUsageError() {
    Run r = run();
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode());
    assertTrue(r.err().contains("missing subcommand"), r.err());
  }
}
