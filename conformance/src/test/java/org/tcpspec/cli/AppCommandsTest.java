package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** serve, get, demo and bench: flags are checked (exit 2, picocli names the problem). */
class AppCommandsTest {


  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static void usageError(String expected, String... args) {
    CliRun r = run(args);
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode(), String.join(" ", args) + ": " + r);
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
  }

  @Test
  void helpListsTheAppCommands() {
    CliRun r = run("--help");
    for (String c : new String[] {"serve", "get", "demo", "bench"}) {
      assertTrue(r.out().contains(c), c + " in " + r.out());
    }
  }

  @Test
  void eachAppCommandHasHelp() {
    for (String c : new String[] {"serve", "get", "demo", "bench"}) {
      CliRun r = run(c, "--help");
      assertEquals(0, r.exitCode(), c + ": " + r);
      assertTrue(r.out().contains("Usage: tcpspec " + c), r.out());
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
  void getChecksItsUrl() {
    usageError("only http://", "get", "--netns", "x", "https://192.0.2.2/");
    usageError("host must be an IPv4 address", "get", "--netns", "x", "http://example.com/");
    usageError("1..65535", "get", "--netns", "x", "http://192.0.2.2:0/");
    usageError("URL", "get", "--netns", "x");
    usageError("--mtu: MTU must be in 576..65000, got 100", "get", "--netns", "x", "--mtu", "100",
        "http://192.0.2.2/");
    CliRun r = run("get", "--netns", "no-such-ns-" + ProcessHandle.current().pid(),
        "http://192.168.0.1:8080/bytes/10");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("no network namespace"), r.err());
  }

  @Test
  void benchChecksItsFlags() {
    usageError("--megabytes must be in 1..100000, got 0", "bench", "--megabytes", "0");
    usageError("--max-seconds must be in 1..600, got 601", "bench", "--max-seconds", "601");
    usageError("--seconds must be in 0..300, got 301", "bench", "--seconds", "301");
    usageError("--rows: no row '8' (one of 1, 4, 16, offload-off, 4mb)", "bench", "--rows", "4,8");
    usageError("--max-seconds (5) must exceed --seconds (5)", "bench", "--seconds", "5", "--max-seconds", "5");
    usageError("--seconds: the faulted transfers move exactly --megabytes", "bench", "--faults", "loss=5", "--seconds", "2");
    usageError("--rounds must be in 1..15, got 0", "bench", "--rounds", "0");
    usageError("--rounds: the faulted transfers run once", "bench", "--faults", "loss=5", "--rounds", "3");
    usageError("--faults: 'drop' is not loss, dup or reorder", "bench", "--faults", "loss=5,drop=1");
    usageError("--faults: 'loss=150': percent out of 0..100", "bench", "--faults", "loss=150");
    usageError("--cc: the java stack has no congestion control 'bbr'", "bench", "--faults", "loss=5", "--cc", "bbr");
    usageError("--mtu: MTU must be in 576..65000, got 100", "bench", "--mtu", "1500,100");
    usageError("--ipv6 needs every --mtu of at least 1280 (RFC 8200 §5)", "bench", "--ipv6", "--mtu", "1500,1000");
    usageError("--ipv6: the faulted transfers run over IPv4 only", "bench", "--ipv6", "--faults", "loss=5");
  }

  @Test
  void demoTakesNoArguments() {
    usageError("Unmatched argument", "demo", "extra");
  }
}
