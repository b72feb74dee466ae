package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * Linux's buffer autotuning (BufferAutotuning) on the manual clock: the receive buffer grows by
 * tcp_rcv_space_adjust once the application read more in a receiver round trip than ever before,
 * the round trip estimated as Linux 6.18 does (the minimum of the window-based samples, timestamp
 * samples of 0 ms skipped),
 * the send buffer by tcp_sndbuf_expand to twice cwnd's memory; SO_RCVBUF and SO_SNDBUF lock them,
 * tcp_moderate_rcvbuf 0 stops the receive side. The peer's MSS is 1000, ours 1460 (MTU 1500).
 */
class BufferAutotuningTest {
  private static final int MSS = 1000;

  /** ESTABLISHED by active open with tcp_rmem's and tcp_wmem's default 16384, {@code sysctl} and {@code options} applied. */
  private static Harness established(Consumer<SocketOptions> options, String... sysctl) {
    return established(options, List.of(new TcpOption.Mss(MSS)), sysctl);
  }

  /** {@link #established(Consumer, String...)} with the peer's SYN-ACK carrying {@code synAckOptions}. */
  private static Harness established(Consumer<SocketOptions> options, List<TcpOption> synAckOptions, String... sysctl) {
    Harness h = new Harness();
    StackConfig c = h.stack.config().withSysctl("net.ipv4.tcp_rmem", "4096 16384 6291456").orElseThrow()
        .withSysctl("net.ipv4.tcp_wmem", "4096 16384 4194304").orElseThrow();
    for (int i = 0; i < sysctl.length; i += 2) c = c.withSysctl(sysctl[i], sysctl[i + 1]).orElseThrow();
    h.stack.config(c);
    SocketOptions o = h.stack.defaultOptions();
    options.accept(o);
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, o).orElseThrow();
    h.expectOne(SYN);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], synAckOptions.toArray(TcpOption[]::new)));
    h.expectOne(ACK);
    h.expectState(State.ESTABLISHED);
    return h;
  }

  private static Segment data(Harness h, int from, int len) {
    return peer(ACK, PEER_ISS + 1 + from, h.sndUna(), new byte[len]);
  }

  private static int readAll(Harness h) {
    byte[] buf = new byte[65536];
    int total = 0;
    for (int n; (n = h.stack.read(h.conn, buf, 0, buf.length)) > 0; ) total += n;
    return total;
  }

  /**
   * The peer sends whole segments from stream offset {@code from} up to the right edge our ACKs
   * offer (the window is Linux's, from receive memory: ReceiveWindow), at most {@code max} bytes;
   * returns the bytes sent.
   */
  private static int fill(Harness h, int from, int max) {
    long edge = edge(h.out(), h);
    int sent = 0;
    while (sent + MSS <= max && PEER_ISS + 1L + from + sent + MSS <= edge) {
      h.send(data(h, from + sent, MSS));
      sent += MSS;
      edge = Math.max(edge, edge(h.out(), h));
    }
    return sent;
  }

  /** The furthest right edge the segments offer, or the one last offered when there are none. */
  private static long edge(List<Segment> out, Harness h) {
    long edge = (h.conn.tcb().rcvNxt & 0xFFFFFFFFL) + h.conn.receiver.window.receiveWindow();
    for (Segment s : out) edge = Math.max(edge, (s.ack() & 0xFFFFFFFFL) + ((long) s.window() << h.conn.tcb().rcvWscale));
    return edge;
  }

  /**
   * The peer fills the window, then, 10 ms later, fills it again, which carries RCV.NXT past the
   * edge offered when the first segment arrived (a window-based round trip of 10 ms); 10 ms later
   * the application reads all. Returns the bytes of both rounds (what the application read since
   * establishment: no round trip was measured when the first round was read).
   */
  private static int receiveTwoRoundsAndRead(Harness h) {
    int first = fill(h, 0, Integer.MAX_VALUE);
    h.clock.advanceMillis(10);
    assertEquals(first, readAll(h));
    h.out();
    int second = fill(h, first, Integer.MAX_VALUE);
    h.clock.advanceMillis(10);
    assertEquals(second, readAll(h));
    return first + second;
  }

  @Test
  void readingMoreThanEverInOneRoundTripGrowsTheReceiveBufferAsTcpRcvbufGrow() {
    Harness h = established(o -> {});
    assertEquals(16384, h.conn.tcb().receiveBuffer.capacity());
    int copied = receiveTwoRoundsAndRead(h);
    // Linux 6.18's tcp_rcvbuf_grow: the bytes read beat the first measure,
    // tcp_init_buffer_space's min(rcv_ssthresh, rcv_wnd, 10 * advmss) = 16384 / 2 - 1460 = 6732:
    // rcvwin = 2 * copied, plus twice rcvwin * (copied - 6732) / 6732, and the buffer is the memory
    // that window takes at the learned ratio (1000 bytes in a 2304-byte skb: 111/256).
    assertEquals(14_000, copied);
    long rcvwin = 2L * copied;
    rcvwin += 2 * (rcvwin * (copied - 6732) / 6732);
    int rcvbuf = (int) ((rcvwin << 8) / 111);
    assertEquals(204_011, rcvbuf);
    assertEquals(rcvbuf, h.conn.tcb().receiveBuffer.capacity());
    assertEquals(rcvbuf, h.conn.options().rcvBuf, "getsockopt(SO_RCVBUF) shows the grown buffer, as Linux's sk_rcvbuf");
    assertEquals(copied, info(h, TcpInfo.Field.RCV_SPACE), "tcpi_rcv_space: the largest round's bytes");
  }

  private static long info(Harness h, TcpInfo.Field f) {
    return ConnectionInfo.of(h.conn).get(f);
  }

  /**
   * Up to {@code n} segments from {@code from} (in MSS) at the clock's time, as many as the window
   * takes, then the application reads them. Returns the segments sent.
   */
  private static int segmentsRead(Harness h, int from, int n) {
    int sent = fill(h, from * MSS, n * MSS);
    assertEquals(sent, readAll(h));
    h.out();
    return sent / MSS;
  }

  @Test
  void aWindowBasedRoundTripSampleOnlyLowersTheEstimate() {
    Harness h = established(o -> {});
    // The first segment starts the measure: it ends when RCV.NXT passes 1,000 + the window offered.
    int at = segmentsRead(h, 0, 10);
    h.clock.advanceMillis(10);
    at += segmentsRead(h, at, 10);
    assertEquals(10_000, info(h, TcpInfo.Field.RCV_RTT), "tcpi_rcv_rtt: RCV.NXT passed the edge 10 ms later");
    h.clock.advanceMillis(2);
    at += segmentsRead(h, at, 10);
    assertEquals(2_000, info(h, TcpInfo.Field.RCV_RTT), "a lower sample is taken at once");
    h.clock.advanceMillis(18);
    segmentsRead(h, at, 10);
    assertEquals(2_000, info(h, TcpInfo.Field.RCV_RTT), "tcp_rcv_rtt_update: a larger window-based sample is ignored");
  }

  @Test
  void aTimestampEchoedInTheSameMillisecondIsNoRoundTripSample() {
    Harness h = established(o -> {}, List.of(new TcpOption.Mss(MSS), new TcpOption.Timestamp(100, 0)));
    int now = (int) h.clock.nowMillis();
    h.send(peer(ACK, PEER_ISS + 1, h.sndUna(), new byte[MSS], new TcpOption.Timestamp(101, now)));
    h.out();
    assertEquals(0, info(h, TcpInfo.Field.RCV_RTT), "an echo of this millisecond: no sample (Linux 6.16+), not 1 ms");
    h.clock.advanceMillis(3);
    h.send(peer(ACK, PEER_ISS + 1 + MSS, h.sndUna(), new byte[MSS], new TcpOption.Timestamp(102, now)));
    h.out();
    assertEquals(0, info(h, TcpInfo.Field.RCV_RTT), "one sample per echoed value");
    h.send(peer(ACK, PEER_ISS + 1 + 2 * MSS, h.sndUna(), new byte[MSS], new TcpOption.Timestamp(103, now + 1)));
    h.out();
    assertEquals(2_000, info(h, TcpInfo.Field.RCV_RTT), "echoed 2 ms ago");
  }

  @Test
  void soRcvbufLocksTheReceiveBuffer() {
    Harness h = established(o -> o.rcvBufLocked = true);
    assertTrue(receiveTwoRoundsAndRead(h) > 6732, "what was read beat the first measure");
    assertEquals(16384, h.conn.tcb().receiveBuffer.capacity());
  }

  @Test
  void tcpModerateRcvbufZeroLeavesTheReceiveBuffer() {
    Harness h = established(o -> {}, "net.ipv4.tcp_moderate_rcvbuf", "0");
    assertTrue(receiveTwoRoundsAndRead(h) > 6732, "what was read beat the first measure");
    assertEquals(16384, h.conn.tcb().receiveBuffer.capacity());
  }

  @Test
  void withoutARoundTripMeasuredTheReceiveBufferStays() {
    Harness h = established(o -> {});
    // Less than the window the SYN offered (16384 / 2 in whole segments of 1460: 7300).
    int sent = fill(h, 0, 7 * MSS);
    assertEquals(7 * MSS, sent);
    h.clock.advanceMillis(10);
    assertEquals(sent, readAll(h));
    assertEquals(16384, h.conn.tcb().receiveBuffer.capacity(), "RCV.NXT never passed the first edge: no round trip yet");
  }

  /** tcp_sndbuf_expand's memory per segment for an MSS of 1000: roundup_pow_of_two(1000 + 640) + 256. */
  private static final int PER_MSS = 2048 + 256;

  @Test
  void establishmentExpandsTheSendBufferToTwentySegmentsOfMemory() {
    Harness h = established(o -> {});
    assertEquals(2 * 10 * PER_MSS, h.conn.tcb().sendBuffer.capacity());
  }

  @Test
  void acksGrowTheSendBufferOnlyWhileTheWriterWaitsForRoom() {
    Harness h = established(o -> {});
    int initial = h.conn.tcb().sendBuffer.capacity();
    // A writer that never runs short of room: the ACKs of slow start grow nothing (Linux's
    // tcp_check_space calls tcp_new_space only with SOCK_NOSPACE set).
    byte[] small = new byte[4000];
    int acked = 0;
    for (int round = 0; round < 3; round++) {
      h.stack.write(h.conn, small, 0, small.length);
      acked += sentPayload(h);
      ackUpTo(h, acked);
    }
    assertEquals(initial, h.conn.tcb().sendBuffer.capacity(), "grown with the writer never waiting");

    // A write the buffer cannot take whole: the application now waits for room. The buffer grows at
    // the first ACK after whose output cwnd is not filled, to twice that cwnd in segments' memory.
    byte[] big = new byte[2 * initial];
    assertTrue(h.stack.write(h.conn, big, 0, big.length) < big.length);
    int cwndAtGrowth = -1;
    for (int round = 0; round < 8 && cwndAtGrowth < 0; round++) {
      acked += sentPayload(h);
      ackUpTo(h, acked);
      if (h.conn.tcb().sendBuffer.capacity() != initial) cwndAtGrowth = h.conn.sender.congestionControl().cwnd();
    }
    assertTrue(cwndAtGrowth > 10, "grew at cwnd " + cwndAtGrowth);
    int grown = h.conn.tcb().sendBuffer.capacity();
    assertEquals(2 * cwndAtGrowth * PER_MSS, grown);

    // Room enough now: the stream is writeable, SOCK_NOSPACE cleared, and the next ACK grows nothing.
    acked += sentPayload(h);
    ackUpTo(h, acked);
    assertEquals(grown, h.conn.tcb().sendBuffer.capacity(), "grown again with the writer no longer waiting");
  }

  /** The payload of what the stack sent since the last look. */
  private static int sentPayload(Harness h) {
    int sent = 0;
    for (Segment s : h.out()) sent += s.payloadLength();
    return sent;
  }

  /** The peer acknowledges {@code acked} bytes of data, 10 ms later. */
  private static void ackUpTo(Harness h, int acked) {
    h.clock.advanceMillis(10);
    h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.iss() + 1 + acked, ACK, 65535, 0,
        List.of(), new byte[0]));
  }

  @Test
  void soSndbufLocksTheSendBuffer() {
    Harness h = established(o -> {
      o.sndBuf = 16384;
      o.sndBufLocked = true;
    });
    assertEquals(16384, h.conn.tcb().sendBuffer.capacity());
  }

  /**
   * tcp_data_queue_ofo (Linux 6.18): out-of-order text grows the receive buffer to cover how far it
   * reaches past the hole, but only for a connection an application holds (sk->sk_socket): a child
   * still in the accept queue keeps tcp_rmem's default, and grows on its next out-of-order segment
   * once accepted (java grew only on reads before, so the accepted child kept its buffer too).
   */
  @Test
  void outOfOrderTextGrowsTheBufferOnlyOnceTheChildIsAccepted() {
    Harness h = new Harness();
    h.stack.config(h.stack.config().withSysctl("net.ipv4.tcp_rmem", "4096 131072 33554432").orElseThrow());
    h.listener = h.stack.listen(LOCAL_PORT, 8, h.stack.defaultOptions()).orElseThrow();
    h.send(peer(SYN, PEER_ISS, 0, new byte[0], new TcpOption.Mss(MSS), new TcpOption.SackPermitted(),
        new TcpOption.WindowScale(7)));
    Segment synAck = h.expectOne(SYN | ACK);
    h.send(peer(ACK, PEER_ISS + 1, synAck.seq() + 1));
    Connection child = h.stack.connections().get(0);
    h.conn = child;
    int initial = child.options.rcvBuf;
    for (int[] range : new int[][] {{1000, 30000}, {31000, 35000}, {66000, 35000}}) {
      h.send(peer(ACK, PEER_ISS + 1 + range[0], synAck.seq() + 1, new byte[range[1]]));
    }
    assertEquals(101000, child.tcb().receiveBuffer.outOfOrderRangeEnd(0) - child.tcb().receiveBuffer.nextOffset(),
        "all held");
    assertEquals(initial, child.options.rcvBuf, "not accepted: no sk_socket, no growth");
    assertEquals(child, h.listener.accept().orElseThrow());
    h.send(peer(ACK, PEER_ISS + 1 + 31000, synAck.seq() + 1, new byte[1000]));
    assertTrue(child.options.rcvBuf > initial, child.options.rcvBuf + " after the duplicate, once accepted");
  }
}
