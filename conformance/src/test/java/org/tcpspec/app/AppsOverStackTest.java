package org.tcpspec.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpspec.device.linux.Ipv4Cidr;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.runtime.TunStack;

/**
 * The same apps over our stack on TUN (issue #5 phase 2), against the namespace's kernel: curl to
 * the stack's HTTP server, a kernel socket to its echo, and our HttpClient (active open from the
 * stack) to an HTTP server on kernel sockets.
 */
@Timeout(90)
class AppsOverStackTest {
  private Netns ns;
  private TunStack stack;
  private final List<String> errors = new ArrayList<>();

  @BeforeEach
  void up() throws Exception {
    String uid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
        StandardCharsets.US_ASCII).strip();
    assumeTrue(uid.equals("0"), "network namespaces and TUN need root; not root here");
    ns = Netns.create("appstack");
    stack = TunStack.start(ns, 1500, Optional.empty(), this::error);
  }

  private void error(String line) {
    synchronized (errors) {
      errors.add(line);
    }
  }

  @AfterEach
  void down() throws Exception {
    if (stack != null) stack.close();
    if (ns != null) ns.close();
  }

  private String sh(String command) throws IOException {
    Netns.ExecResult r = ns.exec(List.of("sh", "-c", command));
    assertEquals(0, r.exitCode(), command + ": " + r);
    return r.output().strip();
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void curlGetsPatternBytesFromOurStack() throws Exception {
    try (AppServer server =
            AppServer.start(StackStreams.listen(stack.sockets(), 8080, 16), new HttpApp(), this::error)) {
      String url = "http://" + TunStack.STACK_ADDRESS + ":8080/bytes/300000";
      String sum = sh("curl -sS --max-time 30 " + url + " | sha256sum").split("\\s+")[0];
      assertEquals(sha256(BytePattern.of(300_000)), sum);
      String base = "http://" + TunStack.STACK_ADDRESS + ":8080";
      String two = sh("curl -sS --max-time 30 -o /dev/null -o /dev/null -w '%{http_code} ' "
          + base + "/bytes/10 " + base + "/bytes/20");
      assertEquals("200 200", two);
      assertEquals(2, server.accepted(), "one connection for the first curl, one for the pair");
      assertEquals("400", sh("curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -H 'Host:' "
          + base + "/bytes/1"));
    }
    assertEquals(List.of(), errors);
  }

  @Test
  void kernelSocketEchoesOneMegabyteThroughOurStack() throws Exception {
    byte[] sent = new byte[1 << 20];
    new Random(9).nextBytes(sent);
    try (AppServer server =
            AppServer.start(StackStreams.listen(stack.sockets(), 7, 16), new EchoApp(), this::error);
        ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
      Socket kernel = ns.call(() -> {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getByName(TunStack.STACK_ADDRESS), 7), 5000);
        return s;
      });
      try (kernel) {
        Future<byte[]> back = vt.submit(() -> kernel.getInputStream().readAllBytes());
        kernel.getOutputStream().write(sent);
        kernel.shutdownOutput();
        assertEquals(sha256(sent), sha256(back.get()));
      }
    }
  }

  @Test
  void ourHttpClientFetchesFromAKernelServer() throws Exception {
    InetAddress kernelAddr = InetAddress.getByName(TunStack.KERNEL_ADDRESS);
    StreamListener kernelListener = ns.call(() -> KernelStreams.listen(kernelAddr, 8081, 16));
    try (AppServer kernelServer = AppServer.start(kernelListener, new HttpApp(), this::error);
        StreamConnection c =
            StackStreams.connect(stack.sockets(), Ipv4Cidr.parseAddress(TunStack.KERNEL_ADDRESS), 8081)) {
      HttpClient client = new HttpClient(c);
      ByteArrayOutputStream a = new ByteArrayOutputStream();
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      HttpUrl url = new HttpUrl(TunStack.KERNEL_ADDRESS, 8081, "/bytes/200000");
      assertEquals(200, client.get(url, a, false).status());
      assertEquals(200, client.get(new HttpUrl(TunStack.KERNEL_ADDRESS, 8081, "/bytes/3"), b, true).status());
      assertArrayEquals(BytePattern.of(200_000), a.toByteArray());
      assertArrayEquals(BytePattern.of(3), b.toByteArray());
      assertEquals(1, kernelServer.accepted());
    }
  }
}
