package org.tcpspec.app;

import java.io.ByteArrayOutputStream;
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
import org.tcpspec.runtime.BlockingSockets;
import org.tcpspec.runtime.TunStack;

/**
 * The demo behind {@code tcpspec demo}: our stack on a TUN device in a namespace made for the
 * run ({@link TunStack}: stack 192.0.2.2, kernel 192.168.0.1; over IPv6 stack 2001:db8::2, kernel
 * 2001:db8::1), serving echo, discard and http, with the namespace's kernel as client (curl when
 * installed, kernel sockets), and our stack as HTTP client against a kernel server; every check in
 * both families, one line per check.
 */
public final class Demo {
  /** One address family's addresses, and how a URL writes the stack's. */
  private record Family(String name, String stackAddress, String kernelAddress) {
    String urlHost(String address) {
      return name.equals("IPv6") ? "[" + address + "]" : address;
    }
  }

  private static final List<Family> FAMILIES = List.of(
      new Family("IPv4", TunStack.STACK_ADDRESS, TunStack.KERNEL_ADDRESS),
      new Family("IPv6", TunStack.STACK_ADDRESS6, TunStack.KERNEL_ADDRESS6));
  private static final int HTTP_PORT = 8080;
  private static final int ECHO_PORT = 7;
  private static final int DISCARD_PORT = 9;
  private static final int KERNEL_HTTP_PORT = 8081;

  private final PrintWriter out;
  private int failures;

  public Demo(PrintWriter out) {
    this.out = out;
  }

  /** Runs every check; returns the number that failed (0: all good). */
  public int run() throws Exception {
    Optional<Path> curl = onPath("curl");
    try (Netns ns = Netns.create("demo");
        TunStack stack = TunStack.start(ns, 1500, Optional.empty(), this::warn)) {
      say("network namespace %s: kernel %s and %s on %s, our stack at %s and %s behind it", ns.name(),
          TunStack.KERNEL_ADDRESS, TunStack.KERNEL_ADDRESS6, stack.interfaceName(), TunStack.STACK_ADDRESS,
          TunStack.STACK_ADDRESS6);
      DiscardApp discard = new DiscardApp();
      BlockingSockets sockets = stack.sockets();
      try (AppServer http =
              AppServer.start(StackStreams.listen(sockets, HTTP_PORT, 16), new HttpApp(), this::warn);
          AppServer echo =
              AppServer.start(StackStreams.listen(sockets, ECHO_PORT, 16), new EchoApp(), this::warn);
          AppServer dropper =
              AppServer.start(StackStreams.listen(sockets, DISCARD_PORT, 16), discard, this::warn)) {
        say("our stack serves http on :%d, echo on :%d, discard on :%d, both families", HTTP_PORT, ECHO_PORT,
            DISCARD_PORT);
        for (Family f : FAMILIES) {
          say("-- %s", f.name());
          InetAddress stackAddr = InetAddress.getByName(f.stackAddress());
          String base = "http://" + f.urlHost(f.stackAddress()) + ":" + HTTP_PORT;
          if (curl.isPresent()) {
            curlChecks(ns, base, http);
          } else {
            say("curl is not installed: skipping the curl checks");
          }
          echoCheck(ns, stackAddr);
          discardCheck(ns, stackAddr, discard);
        }
      }
      for (Family f : FAMILIES) clientCheck(ns, stack, f);
      say("packets: %d received, %d sent, %d dropped by our stack's event loop",
          stack.loop().packetsReceived(), stack.loop().packetsTransmitted(),
          stack.loop().packetsDropped());
      say("stopping the stack and deleting the namespace");
    }
    say(failures == 0 ? "demo: all checks passed" : "demo: " + failures + " check(s) FAILED");
    return failures;
  }

  private void curlChecks(Netns ns, String base, AppServer http) throws Exception {
    String url = base + "/bytes/100000";
    Netns.ExecResult r = ns.exec(List.of("sh", "-c", "curl -g -sS --max-time 20 '" + url + "' | sha256sum"));
    String sum = r.output().strip().split("\\s+")[0];
    boolean same = r.exitCode() == 0 && sum.equals(sha256(BytePattern.of(100_000)));
    check(same, "curl %s: SHA-256 of the body %s the pattern's (bytes 0..99999)", url,
        same ? "equals" : "DIFFERS from");
    long before = http.accepted();
    Netns.ExecResult two = ns.exec(List.of("curl", "-g", "-sS", "--max-time", "20", "-o", "/dev/null", "-o",
        "/dev/null", "-w", "%{http_code} ", base + "/bytes/10", base + "/bytes/20"));
    long connections = http.accepted() - before;
    check(two.output().strip().equals("200 200") && connections == 1,
        "curl two URLs: %s on %d connection (keep-alive)", two.output().strip(), connections);
    Netns.ExecResult noHost = ns.exec(List.of("curl", "-g", "-sS", "--max-time", "20", "-o", "/dev/null",
        "-w", "%{http_code}", "-H", "Host:", base + "/bytes/1"));
    check(noHost.output().strip().equals("400"),
        "curl without a Host field: %s (HTTP/1.1 requires Host)", noHost.output().strip());
    Netns.ExecResult missing = ns.exec(List.of("curl", "-g", "-sS", "--max-time", "20", "-o", "/dev/null",
        "-w", "%{http_code}", base + "/index.html"));
    check(missing.output().strip().equals("404"), "curl /index.html: %s", missing.output().strip());
  }

  /** Our stack as the client (what {@code tcpspec get} does) against a kernel HTTP server. */
  private void clientCheck(Netns ns, TunStack stack, Family f) throws Exception {
    InetAddress kernel = InetAddress.getByName(f.kernelAddress());
    StreamListener l = ns.call(() -> KernelStreams.listen(kernel, KERNEL_HTTP_PORT, 16));
    try (AppServer server = AppServer.start(l, new HttpApp(), this::warn);
        StreamConnection c = StackStreams.connect(stack.sockets(), kernel,
            KERNEL_HTTP_PORT)) {
      HttpClient client = new HttpClient(c);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      String host = f.urlHost(f.kernelAddress());
      HttpResponse r = client.get(new HttpUrl(host, KERNEL_HTTP_PORT, "/bytes/65536"), body, false);
      HttpResponse r2 =
          client.get(new HttpUrl(host, KERNEL_HTTP_PORT, "/bytes/1"), new ByteArrayOutputStream(), true);
      check(r.status() == 200 && java.util.Arrays.equals(body.toByteArray(), BytePattern.of(65_536))
              && r2.status() == 200 && server.accepted() == 1,
          "our stack GETs http://%s:%d/bytes/65536 then /bytes/1 from a kernel server on one"
              + " connection: %d, %d", host, KERNEL_HTTP_PORT, r.status(), r2.status());
    }
  }

  private void echoCheck(Netns ns, InetAddress stackAddr) throws Exception {
    byte[] sent = new byte[1_000_000];
    new Random(1).nextBytes(sent);
    try (StreamConnection c = ns.call(() -> KernelStreams.connect(stackAddr, ECHO_PORT));
        ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<byte[]> back = vt.submit(() -> c.in().readAllBytes());
      c.out().write(sent);
      c.shutdownOutput();
      byte[] got = back.get();
      check(sha256(got).equals(sha256(sent)), "kernel -> our echo: sent %d bytes, got %d back, SHA-256 %s",
          sent.length, got.length, sha256(got).equals(sha256(sent)) ? "equal" : "DIFFERS");
    }
  }

  private void discardCheck(Netns ns, InetAddress stackAddr, DiscardApp discard) throws Exception {
    long before = discard.bytesDiscarded();
    try (StreamConnection c = ns.call(() -> KernelStreams.connect(stackAddr, DISCARD_PORT))) {
      c.out().write(new byte[500_000]);
      c.shutdownOutput();
      int eof = c.in().read(); // the server closes after our FIN, once it has read everything
      long dropped = discard.bytesDiscarded() - before;
      check(eof == -1 && dropped == 500_000, "kernel -> our discard: sent 500000 bytes, it dropped %d", dropped);
    }
  }

  private void warn(String line) {
    say("warning: %s", line);
  }

  private void check(boolean ok, String format, Object... args) {
    if (!ok) failures++;
    say("%s %s", ok ? "ok  " : "FAIL", String.format(format, args));
  }

  private void say(String format, Object... args) {
    synchronized (out) {
      out.println(String.format(format, args));
      out.flush();
    }
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
