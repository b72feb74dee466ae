package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.app.AppServer;
import org.tcpspec.app.BytePattern;
import org.tcpspec.app.HttpApp;
import org.tcpspec.app.KernelStreams;
import org.tcpspec.app.StreamListener;
import org.tcpspec.device.linux.Netns;
import picocli.CommandLine;

/** demo and a small bench, end to end through the CLI, in namespaces they make themselves. */
@Timeout(120)
class AppCommandsInNamespaceTest {

  @BeforeAll
  static void root() throws IOException {
    String uid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
        StandardCharsets.US_ASCII).strip();
    assumeTrue(uid.equals("0"), "network namespaces need root (CAP_SYS_ADMIN); not root here");
  }

  private static String namespaces() throws IOException {
    return new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes(),
        StandardCharsets.UTF_8);
  }

  private static boolean leftOver(String before, String after, String purpose) {
    long pid = ProcessHandle.current().pid();
    return after.lines().filter(l -> l.startsWith("tcpspec-" + purpose + "-" + pid + "-"))
        .anyMatch(l -> !before.contains(l));
  }

  @Test
  void demoPassesEveryCheckAndLeavesNoNamespace() throws IOException {
    String before = namespaces();
    CliRun r = CliRun.of("demo");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("demo: all checks passed"), r.out());
    assertTrue(r.out().contains("ok   kernel -> our echo: sent 1000000 bytes, got 1000000 back"), r.out());
    assertTrue(r.out().contains("ok   our stack GETs http://192.168.0.1:8081/bytes/65536"), r.out());
    assertTrue(r.out().contains("ok   curl http://[2001:db8::2]:8080/bytes/100000"), r.out());
    assertTrue(r.out().contains("ok   our stack GETs http://[2001:db8::1]:8081/bytes/65536"), r.out());
    assertEquals(2, r.out().lines().filter(l -> l.startsWith("ok   kernel -> our echo")).count(), r.out());
    assertFalse(r.out().contains("FAIL"), r.out());
    assertFalse(leftOver(before, namespaces(), "demo"), "demo namespace left behind");
  }

  @Test
  void serveRunsUntilInterruptedAndCurlReachesIt(@TempDir Path dir) throws Exception {
    Path pcap = dir.resolve("serve.pcap");
    String name = "tcpspec-servetest-" + ProcessHandle.current().pid();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TcpspecCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int[] exit = {-1};
    Thread serve = Thread.ofPlatform().start(() ->
        exit[0] = cli.execute("serve", "--netns", name, "--app", "http", "--port", "8080",
            "--pcap", pcap.toString()));
    try {
      long deadline = System.nanoTime() + 20_000_000_000L;
      // Until the whole line is there: printf writes its pieces one by one into the StringWriter.
      while (!out.toString().matches("(?s).*tcpspec listening[^\n]*\n.*") && serve.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals("tcpspec listening on 192.0.2.2:8080 in netns " + name, out.toString().strip(), err.toString());
      Process curl = new ProcessBuilder("ip", "netns", "exec", name, "curl", "-sS", "--max-time", "20",
          "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "http://192.0.2.2:8080/bytes/123456")
          .redirectErrorStream(true).start();
      assertEquals("200 123456", new String(curl.getInputStream().readAllBytes()).strip());
    } finally {
      serve.interrupt();
      serve.join(20_000);
    }
    assertFalse(serve.isAlive(), "serve ends when interrupted");
    assertEquals(0, exit[0], err.toString());
    assertFalse(namespaces().lines().anyMatch(l -> l.startsWith(name)), "serve created the namespace, so it deletes it");
    // 24-byte pcap header, then 16 bytes per record plus the packet: the 123456-byte body alone
    // is more than 80 full-sized segments.
    assertTrue(Files.size(pcap) > 24 + 80 * (16 + 1500), "pcap holds the exchange: " + Files.size(pcap));
  }

  /** Issue 14: serve --ipv6 answers curl -6 from the namespace, twice with the same million bytes. */
  @Test
  void serveIpv6AnswersCurlMinus6TwiceByteIdentical() throws Exception {
    String name = "tcpspec-serve6-" + ProcessHandle.current().pid();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TcpspecCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int[] exit = {-1};
    Thread serve = Thread.ofPlatform().start(() ->
        exit[0] = cli.execute("serve", "--netns", name, "--ipv6", "--app", "http", "--port", "80"));
    try {
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (out.toString().lines().count() < 2 && serve.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals("tcpspec listening on 192.0.2.2:80 in netns " + name + "\n"
          + "tcpspec listening on [2001:db8::2]:80 in netns " + name, out.toString().strip(), err.toString());
      List<String> sums = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Process curl = new ProcessBuilder("ip", "netns", "exec", name, "sh", "-c",
            "curl -6 -g -sS --max-time 30 'http://[2001:db8::2]/bytes/1000000' | sha256sum")
            .redirectErrorStream(true).start();
        sums.add(new String(curl.getInputStream().readAllBytes()).strip());
      }
      String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BytePattern.of(1_000_000)));
      assertEquals(List.of(expected + "  -", expected + "  -"), sums, "both bodies are the pattern's million bytes");
    } finally {
      serve.interrupt();
      serve.join(20_000);
    }
    assertFalse(serve.isAlive(), "serve ends when interrupted");
    assertEquals(0, exit[0], err.toString());
  }

  @Test
  void serveIpv6NeedsAnMtuOfAtLeast1280() {
    CliRun r = CliRun.of("serve", "--netns", "tcpspec-unused", "--ipv6", "--mtu", "1000");
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("--ipv6 needs --mtu of at least 1280"), r.err());
  }

  /** Ctrl-C and kill: serve in a child JVM, SIGTERM once it listens; the namespace it made goes. */
  @Test
  void serveKilledWithSigtermDeletesTheNamespaceItCreated() throws Exception {
    String name = "tcpspec-servekill-" + ProcessHandle.current().pid();
    String javaBin = ProcessHandle.current().info().command().orElseThrow();
    Process child = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), TcpspecCli.class.getName(), "serve", "--netns", name,
        "--app", "discard", "--port", "9")
        .redirectErrorStream(true).start();
    try {
      var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()));
      String line;
      do {
        line = lines.readLine();
      } while (line != null && !line.startsWith("tcpspec listening"));
      assertEquals("tcpspec listening on 192.0.2.2:9 in netns " + name, line);
      assertTrue(namespaces().lines().anyMatch(l -> l.startsWith(name)), "namespace exists while serving");
      child.destroy(); // SIGTERM
      assertTrue(child.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "serve exits on SIGTERM");
    } finally {
      child.destroyForcibly();
    }
    assertFalse(namespaces().lines().anyMatch(l -> l.startsWith(name)), "namespace deleted on SIGTERM");
  }

  @Test
  void getFetchesFromAKernelServerIntoAFile(@TempDir Path dir) throws Exception {
    try (Netns ns = Netns.create("gettest")) {
      InetAddress any = InetAddress.getByAddress(new byte[4]);
      StreamListener l = ns.call(() -> KernelStreams.listen(any, 8081, 16));
      try (AppServer server = AppServer.start(l, new HttpApp(), line -> {})) {
        Path file = dir.resolve("body.bin");
        CliRun r = CliRun.of("get", "--netns", ns.name(),
            "http://192.168.0.1:8081/bytes/250000", "-o", file.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(BytePattern.of(250_000), Files.readAllBytes(file));
        assertTrue(r.err().contains("200 OK, 250000 bytes"), r.err());
        assertEquals(1, server.accepted());
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        CliRun toStdout;
        try {
          toStdout = CliRun.of("get", "--netns", ns.name(), "http://192.168.0.1:8081/bytes/5000");
        } finally {
          System.setOut(stdout);
        }
        assertEquals(0, toStdout.exitCode(), toStdout.err());
        assertArrayEquals(BytePattern.of(5000), captured.toByteArray(), "body on stdout, nothing else");
        Path missing = dir.resolve("404.txt");
        CliRun notFound = CliRun.of("get", "--netns", ns.name(),
            "http://192.168.0.1:8081/nothing", "-o", missing.toString());
        assertEquals(1, notFound.exitCode(), "a non-2xx status is exit 1");
        assertTrue(notFound.err().contains("404 Not Found"), notFound.err());
        Path jumbo = dir.resolve("jumbo.bin");
        CliRun withMtu = CliRun.of("get", "--netns", ns.name(), "--mtu", "9000",
            "http://192.168.0.1:8081/bytes/300000", "-o", jumbo.toString());
        assertEquals(0, withMtu.exitCode(), withMtu.err());
        assertArrayEquals(BytePattern.of(300_000), Files.readAllBytes(jumbo), "--mtu 9000");
      }
      assertFalse(ns.exec(List.of("ip", "link")).output().contains("tcpspec1"), "get's interface is gone");
    }
  }

  @Test
  void smallBenchPrintsRatesAndRatiosPerMtu() throws IOException {
    String before = namespaces();
    CliRun r = CliRun.of("bench", "--megabytes", "4", "--seconds", "0", "--max-seconds", "10", "--mtu",
        "1500,65000", "--rounds", "2");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    List<String> lines = r.out().lines().toList();
    Pattern rateRow = Pattern.compile(
        "^(kernel -> kernel \\(veth\\)|kernel <- kernel \\(veth\\)|kernel -> stack \\(TUN\\)"
            + "|stack -> kernel \\(TUN\\)) +\\d+\\.\\d MB/s +\\d+\\.\\d MB/s$");
    assertEquals(4, lines.stream().filter(l -> rateRow.matcher(l).find()).count(), r.out());
    Pattern ratioRow = Pattern.compile("^(kernel->stack|stack->kernel) / \\S+ +\\d+\\.\\d{3}x +\\d+\\.\\d{3}x$");
    assertEquals(2, lines.stream().filter(l -> ratioRow.matcher(l).find()).count(), r.out());
    // Below the table, each round's ratio per MTU and direction: two rounds, two ratios each.
    Pattern roundRatios = Pattern.compile(
        "^  (kernel->stack|stack->kernel) / \\S+ +MTU (1500|65000) +\\d+\\.\\d{3}x \\d+\\.\\d{3}x$");
    assertEquals(4, lines.stream().filter(l -> roundRatios.matcher(l).find()).count(), r.out());
    Pattern costRow = Pattern.compile(
        "^  (kernel -> kernel \\(veth\\)|kernel <- kernel \\(veth\\)|kernel -> stack \\(TUN\\)"
            + "|stack -> kernel \\(TUN\\)), round [12] +MTU (1500|65000) +\\d+\\.\\d\\d processor-seconds per GB"
            + " \\(\\d+% of a processor");
    assertEquals(16, lines.stream().filter(l -> costRow.matcher(l).find()).count(), r.out());
    Pattern eachWay = Pattern.compile("^  kernel -> stack \\(TUN\\), round 2 +MTU 1500 +\\d+ k segments/s"
        + " \\(\\d+\\.\\d per packet; read \\d+ packets of \\d+\\.\\d(, \\d+ of them left in the backlog)?,"
        + " written \\d+ of \\d+\\.\\d\\)");
    assertEquals(1, lines.stream().filter(l -> eachWay.matcher(l).find()).count(), r.out());
    assertTrue(lines.getFirst().contains("at least 4 MB and 0 s"), r.out());
    assertTrue(lines.getFirst().contains("in 2 alternating rounds"), r.out());
    assertFalse(leftOver(before, namespaces(), "bencha"), "bench namespace a left behind");
    assertFalse(leftOver(before, namespaces(), "benchb"), "bench namespace b left behind");
    assertFalse(leftOver(before, namespaces(), "benchtun"), "bench TUN namespace left behind");
  }

  /** bench --ipv6: the same four transfers and two ratios, over IPv6 on the veth pair and the TUN device. */
  @Test
  void benchOverIpv6PrintsRatesAndRatios() throws IOException {
    String before = namespaces();
    CliRun r = CliRun.of("bench", "--ipv6", "--megabytes", "4", "--seconds", "0", "--max-seconds", "10", "--mtu", "1500",
        "--rounds", "1");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.getFirst().endsWith("over IPv6"), r.out());
    Pattern rateRow = Pattern.compile(
        "^(kernel -> kernel \\(veth\\)|kernel <- kernel \\(veth\\)|kernel -> stack \\(TUN\\)"
            + "|stack -> kernel \\(TUN\\)) +\\d+\\.\\d MB/s$");
    assertEquals(4, lines.stream().filter(l -> rateRow.matcher(l).find()).count(), r.out());
    assertFalse(leftOver(before, namespaces(), "bencha"), "bench namespace a left behind");
    assertFalse(leftOver(before, namespaces(), "benchtun"), "bench TUN namespace left behind");
  }

  /** bench --faults: both faulted transfers, their rates and ours over the kernel's, content checked. */
  @Test
  void faultedBenchComparesBothSendersUnderTheSameFaults() throws IOException {
    String before = namespaces();
    CliRun r = CliRun.of("bench", "--faults", "loss=5,dup=2,reorder=25", "--megabytes", "2", "--max-seconds", "60");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.getFirst().contains("loss 5%, duplication 2%, reordering 25%"), r.out());
    Pattern rate = Pattern.compile("^(kernel -> stack|stack -> kernel) \\(TUN, faulted\\) +\\d+\\.\\d MB/s$");
    assertEquals(2, lines.stream().filter(l -> rate.matcher(l).find()).count(), r.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("^ours / kernel's .* +\\d+\\.\\d{3}x$")), r.out());
    assertFalse(leftOver(before, namespaces(), "benchfin"), "faulted bench namespace left behind");
    assertFalse(leftOver(before, namespaces(), "benchfout"), "faulted bench namespace left behind");
  }
}
