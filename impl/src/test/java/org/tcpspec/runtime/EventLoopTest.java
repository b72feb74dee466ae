package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.device.linux.TunDevice;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.Stack;
import org.tcpspec.time.SystemClock;
import org.tcpspec.trace.TraceSink;

/**
 * The stack on a TUN device in a namespace made for each test, talking to the Linux kernel of
 * that namespace: packetdrill's topology (kernel 192.168.0.1 on tun0, 192.0.2.0/24 routed to it)
 * with our stack at 192.0.2.2.
 */
@Timeout(60)
class EventLoopTest {
  private static final int STACK_ADDR = Ipv4Cidr.parseAddress("192.0.2.2");
  private static final int KERNEL_ADDR = Ipv4Cidr.parseAddress("192.168.0.1");

  private Netns ns;
  private EventLoop loop;
  private BlockingSockets sockets;
  private final List<String> log = new ArrayList<>();

  @BeforeEach
  void up() throws Exception {
    String uid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
        StandardCharsets.US_ASCII).strip();
    assumeTrue(uid.equals("0"), "network namespaces and TUN need root; not root here");
    ns = Netns.create("loop");
    TunDevice tun = TunDevice.open(ns, TunConfig.packetdrill());
    Stack stack = new Stack(STACK_ADDR, SystemClock.INSTANCE, TraceSink.NONE, 42);
    loop = new EventLoop(tun, stack, new SocketApi(stack), SystemClock.INSTANCE,
        line -> { synchronized (log) { log.add(line); } }).start();
    sockets = new BlockingSockets(loop);
  }

  @AfterEach
  void down() throws Exception {
    if (loop != null) loop.close();
    if (ns != null) ns.close();
  }

  private static InetAddress inet(int addr) throws IOException {
    return InetAddress.getByAddress(new byte[] {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr});
  }

  private byte[] readAll(int fd) throws Exception {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = sockets.read(fd, buf, 0, buf.length)) != -1; ) got.write(buf, 0, n);
    return got.toByteArray();
  }

  @Test
  void kernelClientConnectsToOurListenerAndBytesFlowBothWays() throws Exception {
    int listenFd = sockets.listen(8080, 8);
    byte[] request = new byte[200_000];
    new Random(3).nextBytes(request);
    try (ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<byte[]> serverSide = vt.submit(() -> {
        int fd = sockets.accept(listenFd);
        byte[] got = readAll(fd);
        sockets.write(fd, got, 0, got.length); // echo
        sockets.shutdownOutput(fd);
        sockets.close(fd);
        return got;
      });
      Socket kernel = ns.call(() -> {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(inet(STACK_ADDR), 8080), 5000);
        return s;
      });
      try (kernel) {
        Future<byte[]> echoed = vt.submit(() -> kernel.getInputStream().readAllBytes());
        kernel.getOutputStream().write(request);
        kernel.shutdownOutput();
        assertArrayEquals(request, serverSide.get(), "what our stack read");
        assertArrayEquals(request, echoed.get(), "what the kernel got back");
      }
    }
    assertTrue(loop.packetsReceived() > 0 && loop.packetsTransmitted() > 0);
  }

  @Test
  void ourClientConnectsToAKernelServer() throws Exception {
    ServerSocket server = ns.call(() -> {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(inet(KERNEL_ADDR), 0));
      return s;
    });
    try (server; ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> kernelSide = vt.submit(() -> {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          String line = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
          s.getOutputStream().write(("got " + line).getBytes(StandardCharsets.US_ASCII));
          return line;
        }
      });
      int fd = sockets.connect(KERNEL_ADDR, server.getLocalPort());
      byte[] hello = "hello from the stack".getBytes(StandardCharsets.US_ASCII);
      sockets.write(fd, hello, 0, hello.length);
      sockets.shutdownOutput(fd);
      assertEquals("got hello from the stack", new String(readAll(fd), StandardCharsets.US_ASCII));
      assertEquals("hello from the stack", kernelSide.get());
      sockets.close(fd);
    }
  }

  @Test
  void connectToAClosedPortFailsWithEconnrefused() throws Exception {
    BlockingSockets.SocketError e = org.junit.jupiter.api.Assertions.assertThrows(
        BlockingSockets.SocketError.class, () -> sockets.connect(KERNEL_ADDR, 9));
    assertEquals(org.tcpspec.abi.Errno.ECONNREFUSED, e.errno());
  }
}
