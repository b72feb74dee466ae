package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TcpspecCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(TcpspecCli.EXIT_USAGE, run("run").exitCode());
    Run missing = run("run", "--sut", "java", "no/such/dir");
    assertEquals(TcpspecCli.EXIT_USAGE, missing.exitCode());
    assertTrue(missing.err().contains("no such file or directory: no/such/dir"), missing.err());
    Run badSut = run("run", "--sut", "bsd", "../packetdrill-scripts/listen");
    assertEquals(TcpspecCli.EXIT_USAGE, badSut.exitCode());
    assertTrue(badSut.err().contains("unknown system under test 'bsd'"), badSut.err());
  }

  @Test
  void passingScriptsPrintOneLineEachAndTheTotal() {
    Run r = run("run", "--sut", "java", "../packetdrill-scripts/closed");
    assertEquals(0, r.exitCode(), r.out());
    assertEquals(5, r.out().lines().filter(l -> l.startsWith("pass")).count(), r.out());
    assertTrue(r.out().contains("5 passed, 0 failed"), r.out());
  }

  @Test
  void aBadScriptFailsTheRunNamingFileLineAndColumn() {
    String script = "../packetdrill-scripts/selftest/parse-missing-colon.pkt";
    Run r = run("run", "--sut", "java", script);
    assertEquals(1, r.exitCode(), r.out());
    assertTrue(r.out().contains(script + ":5:8: expected ':', found '('"), r.out());
    assertTrue(r.out().contains("0 passed, 1 failed"), r.out());
  }
}
