package org.tcpspec.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tcpspec.device.linux.Netns;

/**
 * The phase-1 demo behind {@code tcpspec demo}: the three apps served over Linux TCP on
 * 127.0.0.1 inside a namespace made for the run, with kernel clients against them (curl when it
 * is installed, else our HttpClient on a kernel socket), one line per check. It is the same app
 * code that will run over our stack; the demo says so rather than pretend.
 */
public final class KernelDemo {
  private static final int HTTP_PORT = 8080;
  private static final int ECHO_PORT = 7;
  private static final int DISCARD_PORT = 9;

  private final PrintWriter out;
  private int failures;

  public KernelDemo(PrintWriter out) {
    this.out = out;
  }

  /** Runs every check; returns the number that failed (0: all good). */
  public int run() throws Exception {
    InetAddress lo = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    Optional<Path> curl = onPath("curl");
    try (Netns ns = Netns.create("demo")) {
      say("network namespace %s created (only lo, 127.0.0.1)", ns.name());
      say("note: %s", StackStatus.NOT_LANDED);
      say("so this demo serves the apps over Linux TCP inside the namespace.");
      DiscardApp discard = new DiscardApp();
      try (AppServer http = start(ns, lo, HTTP_PORT, new HttpApp());
          AppServer echo = start(ns, lo, ECHO_PORT, new EchoApp());
          AppServer dropper = start(ns, lo, DISCARD_PORT, discard)) {
        say("http on 127.0.0.1:%d, echo on :%d, discard on :%d", HTTP_PORT, ECHO_PORT, DISCARD_PORT);
        String base = "http://127.0.0.1:" + HTTP_PORT;
        if (curl.isPresent()) {
          curlChecks(ns, base, http);
        } else {
          say("curl not installed: using our HttpClient on a kernel socket instead");
        }
        clientChecks(ns, lo);
        echoCheck(ns, lo);
        discardCheck(ns, lo, discard);
      }
      say("servers stopped; deleting the namespace");
    }
    say(failures == 0 ? "demo: all checks passed" : "demo: " + failures + " check(s) FAILED");
    return failures;
  }

  private void curlChecks(Netns ns, String base, AppServer http) throws Exception {
    String url = base + "/bytes/100000";
    Netns.ExecResult r = ns.exec(List.of("sh", "-c", "curl -sS --max-time 20 " + url + " | sha256sum"));
    String sum = r.output().strip().split("\\s+")[0];
    boolean same = r.exitCode() == 0 && sum.equals(sha256(BytePattern.of(100_000)));
    check(same, "curl %s: SHA-256 of the body %s the pattern's (bytes 0..99999)", url,
        same ? "equals" : "DIFFERS from");
    long before = http.accepted();
    Netns.ExecResult two = ns.exec(List.of("curl", "-sS", "--max-time", "20", "-o", "/dev/null", "-o",
        "/dev/null", "-w", "%{http_code} ", base + "/bytes/10", base + "/bytes/20"));
    long connections = http.accepted() - before;
    check(two.output().strip().equals("200 200") && connections == 1,
        "curl two URLs: %s on %d connection (keep-alive)", two.output().strip(), connections);
    Netns.ExecResult noHost = ns.exec(List.of("curl", "-sS", "--max-time", "20", "-o", "/dev/null",
        "-w", "%{http_code}", "-H", "Host:", base + "/bytes/1"));
    check(noHost.output().strip().equals("400"),
        "curl without a Host field: %s (HTTP/1.1 requires Host)", noHost.output().strip());
    Netns.ExecResult missing = ns.exec(List.of("curl", "-sS", "--max-time", "20", "-o", "/dev/null",
        "-w", "%{http_code}", base + "/index.html"));
    check(missing.output().strip().equals("404"), "curl /index.html: %s", missing.output().strip());
  }

  private void clientChecks(Netns ns, InetAddress lo) throws Exception {
    try (StreamConnection c = ns.call(() -> KernelStreams.connect(lo, HTTP_PORT))) {
      HttpClient client = new HttpClient(c);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      HttpResponse r = client.get(new HttpUrl("127.0.0.1", HTTP_PORT, "/bytes/65536"), body, false);
      HttpResponse r2 = client.get(new HttpUrl("127.0.0.1", HTTP_PORT, "/bytes/1"), new ByteArrayOutputStream(), true);
      check(r.status() == 200 && java.util.Arrays.equals(body.toByteArray(), BytePattern.of(65_536))
              && r2.status() == 200,
          "HttpClient GET /bytes/65536 then /bytes/1 on one connection: %d, %d", r.status(), r2.status());
    }
  }

  private void echoCheck(Netns ns, InetAddress lo) throws Exception {
    byte[] sent = new byte[1_000_000];
    new Random(1).nextBytes(sent);
    try (StreamConnection c = ns.call(() -> KernelStreams.connect(lo, ECHO_PORT));
        ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<byte[]> back = vt.submit(() -> c.in().readAllBytes());
      c.out().write(sent);
      c.shutdownOutput();
      byte[] got = back.get();
      check(sha256(got).equals(sha256(sent)), "echo: sent %d bytes, got %d back, SHA-256 %s",
          sent.length, got.length, sha256(got).equals(sha256(sent)) ? "equal" : "DIFFERS");
    }
  }

  private void discardCheck(Netns ns, InetAddress lo, DiscardApp discard) throws Exception {
    try (StreamConnection c = ns.call(() -> KernelStreams.connect(lo, DISCARD_PORT))) {
      c.out().write(new byte[500_000]);
      c.shutdownOutput();
      int eof = c.in().read(); // the server closes after our FIN, once it has read everything
      check(eof == -1 && discard.bytesDiscarded() == 500_000,
          "discard: sent 500000 bytes, server dropped %d", discard.bytesDiscarded());
    }
  }

  private static AppServer start(Netns ns, InetAddress lo, int port, App app) throws Exception {
    StreamListener l = ns.call(() -> KernelStreams.listen(lo, port, 16));
    return AppServer.start(l, app, line -> System.err.println("tcpspec demo: " + line));
  }

  private void check(boolean ok, String format, Object... args) {
    if (!ok) failures++;
    say("%s %s", ok ? "ok  " : "FAIL", String.format(format, args));
  }

  private void say(String format, Object... args) {
    out.println(String.format(format, args));
    out.flush();
  }

  private static String sha256(byte[] data) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static Optional<Path> onPath(String program) {
    List<Path> dirs = new ArrayList<>();
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (!d.isEmpty()) dirs.add(Path.of(d));
    }
    return dirs.stream().map(d -> d.resolve(program)).filter(Files::isExecutable).findFirst();
  }
}
