package org.tcpspec.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.abi.Symbol.POLLHUP;
import static org.tcpspec.abi.Symbol.POLLIN;
import static org.tcpspec.abi.Symbol.POLLOUT;
import static org.tcpspec.abi.Symbol.POLLRDHUP;
import static org.tcpspec.abi.Symbol.SHUT_WR;
import static org.tcpspec.abi.Symbol.TCP_CA_Open;
import static org.tcpspec.abi.Symbol.TCP_CLOSE;
import static org.tcpspec.abi.Symbol.TCP_CLOSE_WAIT;
import static org.tcpspec.abi.Symbol.TCP_ESTABLISHED;
import static org.tcpspec.abi.Symbol.TCP_FIN_WAIT2;
import static org.tcpspec.abi.Symbol.TCP_LISTEN;

import org.junit.jupiter.api.Test;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;

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
    SysResult<Void> acc = n.apiB.accept(server);
    assertTrue(acc.succeeded(), acc.toString());
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
    SysResult<byte[]> r = n.apiB.read(child, 100);
    assertArrayEquals("hello".getBytes(), r.out().orElseThrow());
    assertEquals(Errno.EAGAIN, n.apiB.read(child, 100).errno(), "a blocking read would wait");
    assertEquals(0, n.apiA.close(client).value());
    n.settle();
    assertEquals(0, n.apiB.read(child, 100).value()); // end of stream
    assertEquals(POLLIN.value() | POLLRDHUP.value() | POLLOUT.value(), n.apiB.poll(child, 0xFFFF) & ~POLLHUP.value());
    assertEquals(0, n.apiB.close(child).value());
    n.settle();
    assertEquals(Errno.EBADF, n.apiB.close(child).errno());
    assertEquals(1, n.a.connections().size(), "client in TIME-WAIT");
    n.tick(60_000);
    assertTrue(n.a.connections().isEmpty());
    assertTrue(n.b.connections().isEmpty());
  }

  /**
   * connect() to AF_UNSPEC (Linux tcp_disconnect): the established connection is aborted, the peer
   * reset, ECONNRESET pending once, tcp_info CLOSE; the same fd then connects again to a new peer
   * connection, which carries data.
   */
  @Test
  void disconnectAbortsAndTheSocketConnectsAgain() {
    TwoStacks n = new TwoStacks(1);
    int[] fds = connected(n);
    int client = fds[0];
    int child = fds[1];
    int server = fds[2];
    assertEquals(0, n.apiA.disconnect(client).value());
    assertEquals((long) TCP_CLOSE.value(), n.apiA.tcpInfo(client).orElseThrow().get(TcpInfo.Field.STATE));
    assertEquals((Integer) Errno.ECONNRESET.number(), n.apiA.getsockopt(client, Symbol.SO_ERROR).out().orElseThrow());
    assertEquals((Integer) 0, n.apiA.getsockopt(client, Symbol.SO_ERROR).out().orElseThrow(), "read once");
    n.settle();
    assertEquals(Errno.ECONNRESET, n.apiB.read(child, 100).errno(), "the peer was reset");
    assertTrue(n.a.connections().isEmpty(), "no TCB left behind");

    assertEquals(Errno.EINPROGRESS, n.apiA.connect(client, TwoStacks.B, 80).errno());
    n.settle();
    assertEquals(0, n.apiA.connect(client, TwoStacks.B, 80).value());
    int second = (int) n.apiB.accept(server).value();
    assertEquals(5, n.apiA.write(client, "again".getBytes()).value());
    n.settle();
    assertArrayEquals("again".getBytes(), n.apiB.read(second, 100).out().orElseThrow());
  }

  /** A disconnect in SYN-SENT sends nothing; on a listener it stops listening (inet_csk_listen_stop). */
  @Test
  void disconnectInSynSentIsSilentAndStopsAListener() {
    TwoStacks n = new TwoStacks(1);
    int client = n.apiA.socket();
    n.apiA.setNonBlocking(client, true);
    assertEquals(Errno.EINPROGRESS, n.apiA.connect(client, TwoStacks.B, 81).errno());
    n.inFlight.clear(); // the SYN is lost
    assertEquals(0, n.apiA.disconnect(client).value());
    assertTrue(n.inFlight.isEmpty(), "no RST from SYN-SENT: " + n.inFlight);
    assertEquals((Integer) Errno.ECONNRESET.number(), n.apiA.getsockopt(client, Symbol.SO_ERROR).out().orElseThrow());

    int listener = n.apiB.socket();
    n.apiB.bind(listener, 0, 80);
    n.apiB.listen(listener, 5);
    assertEquals(0, n.apiB.disconnect(listener).value());
    assertEquals((long) TCP_CLOSE.value(), n.apiB.tcpInfo(listener).orElseThrow().get(TcpInfo.Field.STATE));
    assertEquals(Errno.EINVAL, n.apiB.accept(listener).errno(), "no longer listening");
    assertEquals((Integer) 0, n.apiB.getsockopt(listener, Symbol.SO_ERROR).out().orElseThrow(), "a listener keeps no error");
  }

  /**
   * MSG_ZEROCOPY with SO_ZEROCOPY on: each send gets the next id, notified once the peer
   * acknowledged all of it, consecutive ids in one notification (Linux __msg_zerocopy_callback);
   * sends without the flag get no id.
   */
  @Test
  void zerocopySendsAreNotifiedWhenAcknowledged() {
    TwoStacks n = new TwoStacks(1);
    int client = connected(n)[0];
    int zerocopy = Symbol.MSG_ZEROCOPY.value();
    assertEquals(0, n.apiA.setsockopt(client, Symbol.SO_ZEROCOPY, 1).value());
    n.apiA.send(client, new byte[100], zerocopy);
    assertEquals(Errno.EAGAIN, n.apiA.readZerocopyNotification(client).errno(), "not acknowledged yet");
    n.settle();
    n.tick(1000);
    assertArrayEquals(new int[] {0, 0}, n.apiA.readZerocopyNotification(client).out().orElseThrow());
    n.apiA.send(client, new byte[100], zerocopy);
    n.apiA.send(client, new byte[100], 0);
    n.apiA.send(client, new byte[100], zerocopy);
    n.settle();
    n.tick(1000);
    assertArrayEquals(new int[] {1, 2}, n.apiA.readZerocopyNotification(client).out().orElseThrow());
    assertEquals(Errno.EAGAIN, n.apiA.readZerocopyNotification(client).errno());
  }

  /**
   * POLLOUT as Linux's tcp_poll reports it (__tcp_stream_is_writeable): not for any free byte of
   * the send buffer, but once the free space is at least half of what is queued, so that a blocked
   * writer wakes to make "significant progress". The peer's small receive buffer holds the
   * sender's data unsent; what it acknowledged frees a few kilobytes of a 128 KB buffer.
   */
  @Test
  void pollOutWaitsUntilAThirdOfAFullSendBufferIsFree() {
    TwoStacks n = new TwoStacks(1);
    int server = n.apiB.socket();
    assertEquals(0, n.apiB.setsockopt(server, Symbol.SO_RCVBUF, 2304).value());
    assertEquals(0, n.apiB.bind(server, 0, 80).value());
    assertEquals(0, n.apiB.listen(server, 5).value());
    int client = n.apiA.socket();
    assertEquals(0, n.apiA.setsockopt(client, Symbol.SO_SNDBUF, 65536).value());
    n.apiA.setNonBlocking(client, true);
    n.apiA.connect(client, TwoStacks.B, 80);
    n.settle();
    int child = (int) n.apiB.accept(server).value();
    byte[] chunk = new byte[8192];
    long written = 0;
    for (SysResult<Void> w; (w = n.apiA.write(client, chunk)).succeeded(); ) written += w.value();
    assertEquals(0, n.apiA.poll(client, POLLOUT.value()), "a full send buffer");
    n.settle();
    n.tick(10);
    n.settle();
    var conn = n.a.connections().get(0);
    long free = conn.tcb().sendBuffer.capacity() - conn.sendMemoryQueued();
    assertTrue(free > 0, "the peer acknowledged what its window took");
    assertTrue(free < conn.sendMemoryQueued() / 2, "free " + free + " of " + conn.tcb().sendBuffer.capacity());
    assertEquals(0, n.apiA.poll(client, POLLOUT.value()), "free space below half of what is queued");
    long read = 0;
    for (int i = 0; i < 200 && read < written; i++) {
      SysResult<Void> r = n.apiB.read(child, new byte[65536], 0, 65536);
      if (r.succeeded()) read += r.value();
      n.settle();
      n.tick(10);
    }
    assertEquals(written, read);
    assertEquals(POLLOUT.value(), n.apiA.poll(client, POLLOUT.value()), "all acknowledged");
  }

  /** TCP_INQ: the bytes left to read after a read, 1 at the end of the stream (Linux tcp_inq_hint). */
  @Test
  void tcpInqHintsWhatIsLeftToRead() {
    TwoStacks n = new TwoStacks(1);
    int[] fds = connected(n);
    assertTrue(n.apiB.inqHint(fds[1]).isEmpty(), "off by default");
    assertEquals(0, n.apiB.setsockopt(fds[1], Symbol.TCP_INQ, 1).value());
    n.apiA.write(fds[0], new byte[10]);
    n.settle();
    assertEquals(4, n.apiB.read(fds[1], 4).value());
    assertEquals(6, n.apiB.inqHint(fds[1]).orElseThrow());
    assertEquals(6, n.apiB.read(fds[1], 100).value());
    assertEquals(0, n.apiB.inqHint(fds[1]).orElseThrow());
    n.apiA.close(fds[0]);
    n.settle();
    assertEquals(1, n.apiB.inqHint(fds[1]).orElseThrow());
  }

  @Test
  void connectToAClosedPortIsRefused() {
    TwoStacks n = new TwoStacks(2);
    int fd = n.apiA.socket();
    assertEquals(Errno.EAGAIN, n.apiA.connect(fd, TwoStacks.B, 9).errno(), "a blocking connect would wait");
    n.settle();
    assertEquals(Errno.ECONNREFUSED, n.apiA.connect(fd, TwoStacks.B, 9).errno());
  }

  @Test
  void errnoOfCallsInTheWrongState() {
    TwoStacks n = new TwoStacks(3);
    int fd = n.apiA.socket();
    assertEquals(Errno.ENOTCONN, n.apiA.read(fd, 1).errno());
    assertEquals(Errno.EPIPE, n.apiA.write(fd, new byte[1]).errno());
    assertEquals(Errno.ENOTCONN, n.apiA.shutdown(fd, SHUT_WR.value()).errno());
    assertEquals(Errno.EINVAL, n.apiA.accept(fd).errno());
    assertEquals(Errno.EBADF, n.apiA.read(99, 1).errno());
    assertEquals(0, n.apiA.bind(fd, 0, 80).value());
    assertEquals(Errno.EINVAL, n.apiA.bind(fd, 0, 81).errno());
    int other = n.apiA.socket();
    assertEquals(Errno.EADDRINUSE, n.apiA.bind(other, 0, 80).errno());
    assertEquals(Errno.EADDRNOTAVAIL, n.apiA.bind(other, 0x01020304, 81).errno());
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(other, Symbol.TCP_MAXSEG, 10).errno());
  }

  @Test
  void socketOptionsReadBackAsLinux() {
    TwoStacks n = new TwoStacks(4);
    int fd = n.apiA.socket();
    assertEquals(536, n.apiA.getsockopt(fd, Symbol.TCP_MAXSEG).out().orElseThrow());
    n.apiA.setsockopt(fd, Symbol.SO_RCVBUF, 10000);
    assertEquals(20000, n.apiA.getsockopt(fd, Symbol.SO_RCVBUF).out().orElseThrow());
    n.apiA.setsockopt(fd, Symbol.TCP_NODELAY, 1);
    assertEquals(1, n.apiA.getsockopt(fd, Symbol.TCP_NODELAY).out().orElseThrow());
    assertEquals(0, n.apiA.getsockopt(fd, Symbol.SO_KEEPALIVE).out().orElseThrow());
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
    assertEquals(0, n.apiA.shutdown(fds[0], SHUT_WR.value()).value());
    assertEquals(Errno.EPIPE, n.apiA.write(fds[0], new byte[1]).errno());
    n.settle();
    assertEquals(TCP_FIN_WAIT2.value(), n.apiA.tcpInfo(fds[0]).orElseThrow().get(TcpInfo.Field.STATE));
    assertEquals(TCP_CLOSE_WAIT.value(), n.apiB.tcpInfo(fds[1]).orElseThrow().get(TcpInfo.Field.STATE));
    assertEquals(3, n.apiB.write(fds[1], "bye".getBytes()).value());
    n.settle();
    assertArrayEquals("bye".getBytes(), n.apiA.read(fds[0], 10).out().orElseThrow());
  }

  /** tcp_info in Linux's units: windows in segments, times in microseconds, ssthresh "infinite". */
  @Test
  void tcpInfoReportsWhatTheStackKeepsAsLinuxDoes() {
    TwoStacks n = new TwoStacks(7);
    int[] fds = connected(n);
    TcpInfo info = n.apiA.tcpInfo(fds[0]).orElseThrow();
    assertEquals(TcpInfo.SIZE, info.length());
    assertEquals(TCP_ESTABLISHED.value(), info.get(TcpInfo.Field.STATE));
    assertEquals(TCP_CA_Open.value(), info.get(TcpInfo.Field.CA_STATE));
    long mss = info.get(TcpInfo.Field.SND_MSS);
    assertTrue(mss > 0, info.toString());
    assertEquals(10, info.get(TcpInfo.Field.SND_CWND), "RFC 6928's initial window, in segments");
    assertEquals(0x7fff_ffff, info.get(TcpInfo.Field.SND_SSTHRESH), "TCP_INFINITE_SSTHRESH");
    assertTrue(info.get(TcpInfo.Field.RTO) >= 200_000, "microseconds, at least TCP_RTO_MIN");
    assertEquals(0, info.get(TcpInfo.Field.UNACKED));
    assertEquals(0, info.get(TcpInfo.Field.PACING_RATE), "not kept by the stack");
    n.apiA.write(fds[0], new byte[(int) mss + 1]);
    assertEquals(2, n.apiA.tcpInfo(fds[0]).orElseThrow().get(TcpInfo.Field.UNACKED), "segments in flight");
    assertEquals(TCP_LISTEN.value(), n.apiB.tcpInfo(fds[2]).orElseThrow().get(TcpInfo.Field.STATE));
  }
}
