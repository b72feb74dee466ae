package org.tcpspec.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpspec.device.linux.Netns;

/**
 * The apps over Linux TCP inside a namespace made for this class, on 127.0.0.1 there, exercised
 * by kernel curl ({@code ip netns exec}) and by our HttpClient. The same app code will run over
 * our stack; these tests pin what it must do.
 */
@Timeout(60)
class AppsInNamespaceTest {
  private static Netns ns;
  private static InetAddress loopback;
  private static final List<String> errors = new ArrayList<>();

  @BeforeAll
  static void namespace() throws IOException {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/ns")) && isRoot(),
        "network namespaces need root (CAP_SYS_ADMIN); not root here");
    ns = Netns.create("apps");
    loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
  }

  @AfterAll
  static void cleanup() {
    if (ns != null) ns.close();
  }

  private static boolean isRoot() {
    try {
      return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream()
          .readAllBytes(), StandardCharsets.US_ASCII).strip());
    } catch (IOException e) {
      return false;
    }
  }

  private static AppServer serve(App app) throws Exception {
    StreamListener l = ns.call(() -> KernelStreams.listen(loopback, 0, 16));
    return AppServer.start(l, app, line -> { synchronized (errors) { errors.add(line); } });
  }

  private static StreamConnection connect(int port) throws Exception {
    return ns.call(() -> KernelStreams.connect(loopback, port));
  }

  private static String curl(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
    cmd.addAll(List.of(args));
    Netns.ExecResult r = ns.exec(cmd);
    assertEquals(0, r.exitCode(), "curl " + String.join(" ", args) + ": " + r);
    return r.output();
  }

  private static String sha256(byte[] data) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void echoReturnsOneMegabyteIntact() throws Exception {
    byte[] sent = new byte[1 << 20];
    new Random(5).nextBytes(sent);
    try (AppServer server = serve(new EchoApp());
        StreamConnection c = connect(server.port());
        ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<byte[]> back = vt.submit(() -> c.in().readAllBytes());
      OutputStream out = c.out();
      for (int off = 0; off < sent.length; off += 10_000) {
        out.write(sent, off, Math.min(10_000, sent.length - off));
      }
      c.shutdownOutput();
      byte[] got = back.get();
      assertEquals(sent.length, got.length);
      assertEquals(sha256(sent), sha256(got));
    }
    assertTrue(errors.isEmpty(), errors.toString());
  }

  @Test
  void discardCountsEveryByte() throws Exception {
    DiscardApp discard = new DiscardApp();
    try (AppServer server = serve(discard)) {
      for (int i = 0; i < 3; i++) {
        try (StreamConnection c = connect(server.port())) {
          c.out().write(new byte[300_000]);
          c.shutdownOutput();
          assertEquals(-1, c.in().read(), "discard sends nothing and closes after our FIN");
        }
      }
      assertEquals(900_000, discard.bytesDiscarded());
      assertEquals(3, server.accepted());
    }
  }

  @Test
  void curlGetsPatternBytes() throws Exception {
    try (AppServer server = serve(new HttpApp())) {
      String url = "http://127.0.0.1:" + server.port() + "/bytes/100000";
      assertEquals("200 100000", curl("-o", "/dev/null", "-w", "%{http_code} %{size_download}", url));
      assertEquals(sha256(BytePattern.of(100_000)), shellSha(url));
    }
  }

  private static String shellSha(String url) throws IOException {
    Netns.ExecResult r = ns.exec(List.of("sh", "-c", "curl -sS --max-time 20 " + url + " | sha256sum"));
    assertEquals(0, r.exitCode(), r.toString());
    return r.output().strip().split("\\s+")[0];
  }

  @Test
  void curlReusesOneConnectionForTwoUrls() throws Exception {
    try (AppServer server = serve(new HttpApp())) {
      String base = "http://127.0.0.1:" + server.port();
      String out =
          curl("-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\\n",
              base + "/bytes/10", base + "/bytes/20");
      assertEquals(List.of("200 1", "200 0"), out.strip().lines().toList(), out);
      assertEquals(1, server.accepted(), "keep-alive: both requests on one connection");
    }
  }

  @Test
  void curlWithoutHostAndWithUnknownPath() throws Exception {
    try (AppServer server = serve(new HttpApp())) {
      String base = "http://127.0.0.1:" + server.port();
      assertEquals("400", curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "Host:", base + "/bytes/1"));
      assertEquals("404", curl("-o", "/dev/null", "-w", "%{http_code}", base + "/index.html"));
    }
  }

  @Test
  void ourClientKeepsAliveForTwoRequests() throws Exception {
    try (AppServer server = serve(new HttpApp());
        StreamConnection c = connect(server.port())) {
      HttpClient client = new HttpClient(c);
      ByteArrayOutputStream first = new ByteArrayOutputStream();
      ByteArrayOutputStream second = new ByteArrayOutputStream();
      HttpResponse r1 = client.get(new HttpUrl("127.0.0.1", server.port(), "/bytes/70000"), first, false);
      HttpResponse r2 = client.get(new HttpUrl("127.0.0.1", server.port(), "/bytes/5"), second, true);
      assertEquals(200, r1.status());
      assertEquals(200, r2.status());
      assertArrayEquals(BytePattern.of(70_000), first.toByteArray());
      assertArrayEquals(BytePattern.of(5), second.toByteArray());
      assertTrue(r2.willClose());
      assertEquals(1, server.accepted());
    }
  }

  @Test
  void malformedRequestGets400AndTheConnectionCloses() throws Exception {
    try (AppServer server = serve(new HttpApp());
        StreamConnection c = connect(server.port())) {
      c.out().write("GARBAGE\r\nmore: junk\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = c.in();
      String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(reply.startsWith("HTTP/1.1 400 Bad Request\r\n"), reply);
      assertTrue(reply.contains("Connection: close\r\n"), reply);
    }
  }
}
