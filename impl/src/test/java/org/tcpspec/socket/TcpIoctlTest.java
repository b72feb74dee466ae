package org.tcpspec.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.abi.Symbol.SIOCATMARK;
import static org.tcpspec.abi.Symbol.SIOCINQ;
import static org.tcpspec.abi.Symbol.SIOCOUTQ;
import static org.tcpspec.abi.Symbol.SIOCOUTQNSD;

import org.junit.jupiter.api.Test;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.tcb.Tcb;

/** ioctl's queue lengths as Linux's tcp_ioctl gives them, over two stacks on a perfect link. */
class TcpIoctlTest {

  /** {client, child, listener}. */
  private static int[] connected(TwoStacks n) {
    int[] c = n.connectToListener();
    return new int[] {c[0], (int) n.apiB.accept(c[1]).value(), c[1]};
  }

  private static int ioctl(SocketApi api, int fd, Symbol request) {
    var r = api.ioctl(fd, request.value());
    assertTrue(r.succeeded(), request + ": " + r);
    return r.out().orElseThrow();
  }

  @Test
  void listenersRefuseAndFreshSocketsAreEmpty() {
    TwoStacks n = new TwoStacks(1);
    int[] fds = connected(n);
    assertEquals(Errno.EINVAL, n.apiB.ioctl(fds[2], SIOCINQ.value()).errno());
    assertEquals(Errno.EINVAL, n.apiB.ioctl(fds[2], SIOCOUTQ.value()).errno());
    int fresh = n.apiA.socket();
    assertEquals(0, ioctl(n.apiA, fresh, SIOCINQ));
    assertEquals(0, ioctl(n.apiA, fresh, SIOCOUTQNSD));
    assertEquals(Errno.ENOTTY, n.apiA.ioctl(fresh, Symbol.SIOCGIFFLAGS.value()).errno());
    assertEquals(Errno.EBADF, n.apiA.ioctl(99, SIOCINQ.value()).errno());
  }

  /** SIOCOUTQ counts what is not acknowledged, SIOCOUTQNSD what is not sent; a FIN counts 1. */
  @Test
  void outputQueuesCountUnacknowledgedAndUnsentBytesAndTheFin() {
    TwoStacks n = new TwoStacks(1);
    int[] fds = connected(n);
    int written = (int) n.apiA.write(fds[0], new byte[Tcb.DEFAULT_BUFFER / 2]).value();
    Tcb tcb = n.a.connections().getFirst().tcb();
    int inFlight = (int) tcb.inFlight();
    assertTrue(inFlight > 0 && inFlight < written, "cwnd holds some back: " + inFlight);
    assertEquals(written, ioctl(n.apiA, fds[0], SIOCOUTQ));
    assertEquals(written - inFlight, ioctl(n.apiA, fds[0], SIOCOUTQNSD));
    settleWithDelayedAcks(n);
    assertEquals(0, ioctl(n.apiA, fds[0], SIOCOUTQ));
    n.apiA.shutdown(fds[0], Symbol.SHUT_WR.value());
    assertEquals(1, ioctl(n.apiA, fds[0], SIOCOUTQ), "the FIN, sent and not acknowledged");
    assertEquals(0, ioctl(n.apiA, fds[0], SIOCOUTQNSD));
    settleWithDelayedAcks(n);
    assertEquals(0, ioctl(n.apiA, fds[0], SIOCOUTQ));
  }

  /** Delivers everything, the ACKs the peer delays too. */
  private static void settleWithDelayedAcks(TwoStacks n) {
    for (int i = 0; i < 10; i++) {
      n.settle();
      n.tick(200);
    }
    n.settle();
  }

  /** SIOCINQ: bytes not read, never the FIN; with urgent data, those before the mark (tcp_inq). */
  @Test
  void inputQueueCountsUnreadBytesUpToTheUrgentMark() {
    TwoStacks n = new TwoStacks(1);
    int[] fds = connected(n);
    n.apiA.send(fds[0], "abc".getBytes(), Symbol.MSG_OOB.value()); // 'c' is out of band
    n.settle();
    assertEquals(2, ioctl(n.apiB, fds[1], SIOCINQ), "stops at the mark");
    assertEquals(0, ioctl(n.apiB, fds[1], SIOCATMARK));
    assertEquals(2, n.apiB.read(fds[1], 10).value());
    assertEquals(1, ioctl(n.apiB, fds[1], SIOCATMARK));
    assertEquals(0, ioctl(n.apiB, fds[1], SIOCINQ));
    n.apiA.write(fds[0], "defg".getBytes());
    n.apiA.close(fds[0]);
    n.settle();
    assertEquals(4, n.apiB.read(fds[1], 10).value(), "steps over the out-of-band octet");
    assertEquals(0, ioctl(n.apiB, fds[1], SIOCATMARK));
    assertEquals(0, ioctl(n.apiB, fds[1], SIOCINQ), "the FIN does not count");
  }

  @Test
  void inputQueueWithoutUrgentData() {
    TwoStacks n = new TwoStacks(1);
    int[] fds = connected(n);
    n.apiA.write(fds[0], new byte[700]);
    n.apiA.close(fds[0]);
    n.settle();
    assertEquals(700, ioctl(n.apiB, fds[1], SIOCINQ));
    assertEquals(300, n.apiB.read(fds[1], 300).value());
    assertEquals(400, ioctl(n.apiB, fds[1], SIOCINQ));
  }
}
