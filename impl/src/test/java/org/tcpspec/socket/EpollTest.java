package org.tcpspec.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.abi.Symbol.EPOLLET;
import static org.tcpspec.abi.Symbol.EPOLLEXCLUSIVE;
import static org.tcpspec.abi.Symbol.EPOLLIN;
import static org.tcpspec.abi.Symbol.EPOLLONESHOT;
import static org.tcpspec.abi.Symbol.EPOLLOUT;
import static org.tcpspec.abi.Symbol.EPOLLRDHUP;
import static org.tcpspec.abi.Symbol.EPOLL_CTL_ADD;
import static org.tcpspec.abi.Symbol.EPOLL_CTL_DEL;
import static org.tcpspec.abi.Symbol.EPOLL_CTL_MOD;

import org.junit.jupiter.api.Test;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;

/** epoll over the socket API (Linux fs/eventpoll.c): readiness, edge and level triggering, epoll_ctl's errors. */
class EpollTest {
  private static final int IN = EPOLLIN.value();
  private static final int OUT = EPOLLOUT.value();

  /** A connection: the client's fd on A and the accepted fd on B. */
  private static int[] connected(TwoStacks n) {
    int[] c = n.connectToListener();
    return new int[] {c[0], (int) n.apiB.accept(c[1]).value()};
  }

  /** epoll_wait without waiting: {count, first events, first data}. */
  private static long[] wait(SocketApi api, int epfd) {
    SysResult<long[]> r = api.epollWait(epfd, 8);
    long[] first = r.out().orElseThrow();
    return new long[] {r.value(), first[0], first[1]};
  }

  private static int epoll(SocketApi api, int fd, int events) {
    int epfd = (int) api.epollCreate(1).value();
    assertEquals(0, api.epollCtl(epfd, EPOLL_CTL_ADD.value(), fd, events, 42).value());
    return epfd;
  }

  @Test
  void edgeTriggeredReportsAgainOnlyAfterAWakeUp() {
    TwoStacks n = new TwoStacks(1);
    int[] pair = connected(n);
    SocketApi b = n.apiB;
    int epfd = epoll(b, pair[1], IN | OUT | EPOLLET.value());
    assertArrayEquals(new long[] {1, OUT, 42}, wait(b, epfd), "writeable when added");
    assertArrayEquals(new long[] {0, 0, 0}, wait(b, epfd), "no wake-up since");
    n.apiA.write(pair[0], new byte[100]);
    n.settle();
    assertArrayEquals(new long[] {1, IN | OUT, 42}, wait(b, epfd), "data woke it: the whole mask");
    assertArrayEquals(new long[] {0, 0, 0}, wait(b, epfd));
    assertEquals(10, b.read(pair[1], 10).value());
    assertArrayEquals(new long[] {0, 0, 0}, wait(b, epfd), "still readable, but no new data");
    n.apiA.write(pair[0], new byte[100]);
    n.settle();
    assertArrayEquals(new long[] {1, IN | OUT, 42}, wait(b, epfd));
  }

  @Test
  void levelTriggeredStaysReadyAndOneShotWaitsForMod() {
    TwoStacks n = new TwoStacks(1);
    int[] pair = connected(n);
    SocketApi b = n.apiB;
    int epfd = epoll(b, pair[1], IN);
    assertArrayEquals(new long[] {0, 0, 0}, wait(b, epfd), "nothing to read");
    n.apiA.write(pair[0], new byte[100]);
    n.settle();
    assertArrayEquals(new long[] {1, IN, 42}, wait(b, epfd));
    assertArrayEquals(new long[] {1, IN, 42}, wait(b, epfd), "level-triggered: still readable");
    b.read(pair[1], 100);
    assertArrayEquals(new long[] {0, 0, 0}, wait(b, epfd), "drained");

    assertEquals(0, b.epollCtl(epfd, EPOLL_CTL_MOD.value(), pair[1], IN | EPOLLONESHOT.value(), 7).value());
    n.apiA.write(pair[0], new byte[100]);
    n.settle();
    assertArrayEquals(new long[] {1, IN, 7}, wait(b, epfd));
    n.apiA.write(pair[0], new byte[100]);
    n.settle();
    assertArrayEquals(new long[] {0, 0, 0}, wait(b, epfd), "disabled after its report");
    assertEquals(0, b.epollCtl(epfd, EPOLL_CTL_MOD.value(), pair[1], IN | EPOLLONESHOT.value(), 8).value());
    assertArrayEquals(new long[] {1, IN, 8}, wait(b, epfd), "armed again, and readable");
  }

  @Test
  void theFinWakesEveryItem() {
    TwoStacks n = new TwoStacks(1);
    int[] pair = connected(n);
    SocketApi b = n.apiB;
    int epfd = epoll(b, pair[1], OUT | EPOLLRDHUP.value() | EPOLLET.value());
    assertArrayEquals(new long[] {1, OUT, 42}, wait(b, epfd));
    n.apiA.shutdown(pair[0], Symbol.SHUT_WR.value());
    n.settle();
    assertArrayEquals(new long[] {1, OUT | EPOLLRDHUP.value(), 42}, wait(b, epfd), "sk_state_change has no key");
  }

  @Test
  void anEdgeTriggeredListenerIsReportedForEachConnectionQueued() {
    TwoStacks n = new TwoStacks(1);
    int server = n.apiB.socket();
    n.apiB.bind(server, 0, 80);
    n.apiB.listen(server, 5);
    int epfd = epoll(n.apiB, server, IN | EPOLLET.value());
    assertArrayEquals(new long[] {0, 0, 0}, wait(n.apiB, epfd), "nothing to accept");
    for (int i = 0; i < 2; i++) {
      int client = n.apiA.socket();
      n.apiA.setNonBlocking(client, true);
      n.apiA.connect(client, TwoStacks.B, 80);
      n.settle();
      assertArrayEquals(new long[] {1, IN, 42}, wait(n.apiB, epfd), "connection " + i + " queued");
    }
    assertEquals(true, n.apiB.accept(server).succeeded());
    assertArrayEquals(new long[] {0, 0, 0}, wait(n.apiB, epfd), "accept() wakes nothing, one still queued");
    assertEquals(true, n.apiB.accept(server).succeeded());
  }

  @Test
  void ctlAndWaitAnswerLinuxsErrors() {
    TwoStacks n = new TwoStacks(1);
    int[] pair = connected(n);
    SocketApi b = n.apiB;
    int fd = pair[1];
    assertEquals(Errno.EINVAL, b.epollCreate(0).errno());
    int epfd = epoll(b, fd, IN);
    assertEquals(Errno.EEXIST, b.epollCtl(epfd, EPOLL_CTL_ADD.value(), fd, IN, 0).errno());
    assertEquals(Errno.EINVAL, b.epollCtl(epfd, EPOLL_CTL_MOD.value(), fd, IN | EPOLLEXCLUSIVE.value(), 0).errno());
    assertEquals(Errno.EINVAL, b.epollCtl(fd, EPOLL_CTL_ADD.value(), epfd, IN, 0).errno(), "epfd is no epoll");
    assertEquals(Errno.EINVAL, b.epollCtl(epfd, EPOLL_CTL_ADD.value(), epfd, IN, 0).errno(), "fd is epfd");
    assertEquals(Errno.EBADF, b.epollCtl(epfd, EPOLL_CTL_ADD.value(), 99, IN, 0).errno());
    assertEquals(Errno.EBADF, b.epollCtl(99, EPOLL_CTL_ADD.value(), fd, IN, 0).errno());
    assertEquals(Errno.EINVAL, b.epollWait(epfd, 0).errno());
    assertEquals(Errno.EINVAL, b.epollWait(fd, 1).errno());
    assertEquals(0, b.epollCtl(epfd, EPOLL_CTL_DEL.value(), fd, 0, 0).value());
    assertEquals(Errno.ENOENT, b.epollCtl(epfd, EPOLL_CTL_DEL.value(), fd, 0, 0).errno());
    assertEquals(Errno.ENOENT, b.epollCtl(epfd, EPOLL_CTL_MOD.value(), fd, IN, 0).errno());
    assertEquals(0, b.epollCtl(epfd, EPOLL_CTL_ADD.value(), fd, IN | EPOLLEXCLUSIVE.value() | EPOLLET.value(), 0).value());
    assertEquals(0, b.close(fd).value());
    assertEquals(0, wait(b, epfd)[0], "closing the socket drops its item");
    assertEquals(0, b.close(epfd).value());
    assertEquals(Errno.EBADF, b.epollWait(epfd, 1).errno());
  }
}
