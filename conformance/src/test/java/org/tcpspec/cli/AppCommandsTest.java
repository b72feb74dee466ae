package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** serve, get, demo and bench: flags are checked (exit 2, picocli names the problem). */
class AppCommandsTest {

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TcpspecCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static void usageError(String expected, String... args) {
    Run r = run(args);
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode(), String.join(" ", args) + ": " + r);
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
  }

  @Test
  void helpListsTheAppCommands() {
    Run r = run("--help");
    for (String c : new String[] {"serve", "get", "demo", "bench"}) {
      assertTrue(r.out().contains(c), c + " in " + r.out());
    }
  }

  @Test
  void serveChecksItsFlags() {
    usageError("--netns", "serve");
    usageError("--port: port must be in 1..65535, got 0", "serve", "--netns", "x", "--port", "0");
    usageError("--port: port must be in 1..65535, got 70000", "serve", "--netns", "x", "--port", "70000");
    usageError("--mtu: MTU must be in 576..65000, got 575", "serve", "--netns", "x", "--mtu", "575");
    usageError("--mtu: MTU must be in 576..65000, got 65001", "serve", "--netns", "x", "--mtu", "65001");
    usageError("--netns: network namespace name", "serve", "--netns", "../etc");
    usageError("--netns: network namespace name", "serve", "--netns", "-x");
    usageError("ftp", "serve", "--netns", "x", "--app", "ftp");
    usageError("does not exist", "serve", "--netns", "x", "--pcap", "/no/such/dir/x.pcap");
    usageError("'abc'", "serve", "--netns", "x", "--port", "abc");
  }

  @Test
  void serveWithGoodFlagsSaysTheStackIsNotThereYet() {
    Run r = run("serve", "--netns", "ns1", "--app", "ECHO", "--port", "7", "--mtu", "65000");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("has not landed yet"), r.err());
  }

  @Test
  void getChecksItsUrl() {
    usageError("only http://", "get", "--netns", "x", "https://192.0.2.2/");
    usageError("host must be an IPv4 address", "get", "--netns", "x", "http://example.com/");
    usageError("1..65535", "get", "--netns", "x", "http://192.0.2.2:0/");
    usageError("URL", "get", "--netns", "x");
    Run r = run("get", "--netns", "x", "http://192.0.2.2:8080/bytes/10");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("has not landed yet"), r.err());
  }

  @Test
  void benchChecksItsFlags() {
    usageError("--megabytes must be in 1..100000, got 0", "bench", "--megabytes", "0");
    usageError("--max-seconds must be in 1..120, got 500", "bench", "--max-seconds", "500");
    usageError("--mtu: MTU must be in 576..65000, got 100", "bench", "--mtu", "1500,100");
  }

  @Test
  void demoTakesNoArguments() {
    usageError("Unmatched argument", "demo", "extra");
  }
}
