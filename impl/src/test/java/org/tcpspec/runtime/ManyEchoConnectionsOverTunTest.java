package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.tcpspec.device.linux.Netns;

/**
 * Issue #5: one hundred kernel connections at once to an echo on our stack over TUN, in one
 * namespace, over IPv4 and over IPv6 (issue 14). Every connection sends its own pattern (its own length and content) and must get
 * exactly those bytes back, so a segment delivered to the wrong connection, lost or duplicated
 * shows up as a mismatch naming the connection.
 */
@Timeout(120)
class ManyEchoConnectionsOverTunTest {
  private static final int CONNECTIONS = 100;
  private static final int PORT = 7;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {TunStack.STACK_ADDRESS, TunStack.STACK_ADDRESS6})
  void hundredConcurrentKernelClientsEachGetTheirOwnBytesBack(String stackAddress) throws Exception {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
    try (Netns ns = Netns.create("echo100");
        TunStack stack = TunStack.start(ns, 1500, Optional.empty(), line -> {});
        StackEcho echo = StackEcho.start(stack.sockets(), PORT, CONNECTIONS)) {
      List<Socket> clients = new ArrayList<>();
      try (ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < CONNECTIONS; i++) {
          clients.add(ConnectionEnd.kernelConnect(ns, stackAddress, PORT));
        }
        List<Future<byte[]>> echoed = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
          byte[] pattern = pattern(i);
          sent.add(pattern);
          Socket c = clients.get(i);
          vt.submit(() -> {
            for (int off = 0; off < pattern.length; off += 1000) {
              c.getOutputStream().write(pattern, off, Math.min(1000, pattern.length - off));
            }
            c.shutdownOutput();
            return null;
          });
          echoed.add(vt.submit(() -> c.getInputStream().readAllBytes()));
        }
        for (int i = 0; i < CONNECTIONS; i++) {
          assertArrayEquals(sent.get(i), echoed.get(i).get(), "connection " + i);
        }
      } finally {
        for (Socket c : clients) c.close();
      }
      assertEquals(CONNECTIONS, echo.accepted());
      assertEquals(List.of(), echo.failures());
    }
  }

  /** 4 to 36 KB, seeded by the connection's index: no two connections send the same bytes. */
  private static byte[] pattern(int index) {
    SplittableRandom random = new SplittableRandom(index);
    byte[] b = new byte[4096 + random.nextInt(32 * 1024)];
    random.nextBytes(b);
    return b;
  }
}
