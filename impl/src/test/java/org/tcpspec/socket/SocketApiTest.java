package org.tcpspec.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The socket calls with Linux's results and errno, over two stacks on a perfect link. */
class SocketApiTest {

  private static int[] connected(TwoStacks n) {
    int server = n.apiB.socket();
    assertEquals(0, n.apiB.bind(server, 0, 80).value());
    assertEquals(0, n.apiB.listen(server, 5).value());
    int client = n.apiA.socket();
    n.apiA.setNonBlocking(client, true);
    assertEquals(Errno.EINPROGRESS, n.apiA.connect(client, TwoStacks.B, 80).errno());
    assertEquals(Errno.EALREADY, n.apiA.connect(client, TwoStacks.B, 80).errno());
    n.settle();
    assertEquals(0, n.apiA.connect(client, TwoStacks.B, 80).value());
    assertEquals(Errno.EISCONN, n.apiA.connect(client, TwoStacks.B, 80).errno());
    SockResult acc = n.apiB.accept(server);
    assertTrue(acc.ok(), acc.toString());
    return new int[] {client, (int) acc.value(), server};
  }

  @Test
  void connectAcceptWriteReadClose() {
    TwoStacks n = new TwoStacks(1);
    int[] fds = connected(n);
    int client = fds[0];
    int child = fds[1];
    assertEquals(5, n.apiA.write(client, "hello".getBytes()).value());
    n.settle();
    SockResult r = n.apiB.read(child, 100);
    assertArrayEquals("hello".getBytes(), r.data());
    assertTrue(n.apiB.read(child, 100).wouldBlock());
    assertEquals(0, n.apiA.close(client).value());
    n.settle();
    assertEquals(0, n.apiB.read(child, 100).value()); // end of stream
    assertEquals(SocketApi.POLLIN | SocketApi.POLLRDHUP | SocketApi.POLLOUT, n.apiB.poll(child, 0xFFFF) & ~SocketApi.POLLHUP);
    assertEquals(0, n.apiB.close(child).value());
    n.settle();
    assertEquals(Errno.EBADF, n.apiB.close(child).errno());
    assertEquals(1, n.a.connections().size(), "client in TIME-WAIT");
    n.tick(60_000);
    assertTrue(n.a.connections().isEmpty());
    assertTrue(n.b.connections().isEmpty());
  }

  @Test
  void connectToAClosedPortIsRefused() {
    TwoStacks n = new TwoStacks(2);
    int fd = n.apiA.socket();
    assertTrue(n.apiA.connect(fd, TwoStacks.B, 9).wouldBlock());
    n.settle();
    assertEquals(Errno.ECONNREFUSED, n.apiA.connect(fd, TwoStacks.B, 9).errno());
  }

  @Test
  void errnoOfCallsInTheWrongState() {
    TwoStacks n = new TwoStacks(3);
    int fd = n.apiA.socket();
    assertEquals(Errno.ENOTCONN, n.apiA.read(fd, 1).errno());
    assertEquals(Errno.EPIPE, n.apiA.write(fd, new byte[1]).errno());
    assertEquals(Errno.ENOTCONN, n.apiA.shutdown(fd, SocketApi.SHUT_WR).errno());
    assertEquals(Errno.EINVAL, n.apiA.accept(fd).errno());
    assertEquals(Errno.EBADF, n.apiA.read(99, 1).errno());
    assertEquals(0, n.apiA.bind(fd, 0, 80).value());
    assertEquals(Errno.EINVAL, n.apiA.bind(fd, 0, 81).errno());
    int other = n.apiA.socket();
    assertEquals(Errno.EADDRINUSE, n.apiA.bind(other, 0, 80).errno());
    assertEquals(Errno.EADDRNOTAVAIL, n.apiA.bind(other, 0x01020304, 81).errno());
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(other, SockOpt.TCP_MAXSEG, 10).errno());
  }

  @Test
  void socketOptionsReadBackAsLinux() {
    TwoStacks n = new TwoStacks(4);
    int fd = n.apiA.socket();
    assertEquals(536, n.apiA.getsockopt(fd, SockOpt.TCP_MAXSEG).value());
    n.apiA.setsockopt(fd, SockOpt.SO_RCVBUF, 10000);
    assertEquals(20000, n.apiA.getsockopt(fd, SockOpt.SO_RCVBUF).value());
    n.apiA.setsockopt(fd, SockOpt.TCP_NODELAY, 1);
    assertEquals(1, n.apiA.getsockopt(fd, SockOpt.TCP_NODELAY).value());
    assertEquals(0, n.apiA.getsockopt(fd, SockOpt.SO_KEEPALIVE).value());
  }

  @Test
  void resetIsReportedOnceThenEndOfStream() {
    TwoStacks n = new TwoStacks(5);
    int[] fds = connected(n);
    n.apiB.setLinger(fds[1], true, 0);
    n.apiB.close(fds[1]); // SO_LINGER 0: RST
    n.settle();
    assertEquals(Errno.ECONNRESET, n.apiA.read(fds[0], 10).errno());
    assertEquals(0, n.apiA.read(fds[0], 10).value());
  }

  @Test
  void shutdownWriteHalfClosesAndTcpInfoShowsTheState() {
    TwoStacks n = new TwoStacks(6);
    int[] fds = connected(n);
    assertEquals(0, n.apiA.shutdown(fds[0], SocketApi.SHUT_WR).value());
    assertEquals(Errno.EPIPE, n.apiA.write(fds[0], new byte[1]).errno());
    n.settle();
    assertEquals(5, n.apiA.tcpInfo(fds[0]).orElseThrow().state()); // FIN-WAIT-2
    assertEquals(8, n.apiB.tcpInfo(fds[1]).orElseThrow().state()); // CLOSE-WAIT
    assertEquals(3, n.apiB.write(fds[1], "bye".getBytes()).value());
    n.settle();
    assertArrayEquals("bye".getBytes(), n.apiA.read(fds[0], 10).data());
  }
}
