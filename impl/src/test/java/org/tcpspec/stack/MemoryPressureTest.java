package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * The stack-wide memory limit, tcp_mem, with Linux's pressure behaviour (StackMemory), on the
 * manual clock: one connection whose peer negotiated SACK and an MSS of 1000, the stack's tcp_mem
 * a few pages so that a few segments cross its thresholds.
 */
class MemoryPressureTest {
  private static final int MSS = 1000;

  /** ESTABLISHED by active open under {@code tcpMem} and a receive buffer of {@code rcvBuf} bytes. */
  private static Harness established(String tcpMem, int rcvBuf) {
    Harness h = new Harness();
    StackConfig c = h.stack.config().withSysctl("net.ipv4.tcp_mem", "\"" + tcpMem + "\"").orElseThrow()
        .withSysctl("net.ipv4.tcp_rmem", "4096 " + rcvBuf + " 6291456").orElseThrow();
    h.stack.config(c);
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, h.stack.defaultOptions()).orElseThrow();
    h.expectOne(SYN);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(MSS), new TcpOption.SackPermitted()));
    h.expectOne(ACK);
    h.expectState(State.ESTABLISHED);
    return h;
  }

  /** The peer's stream: byte i is (i * 7) mod 251, so a byte out of place shows. */
  private static byte[] stream(int from, int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) b[i] = (byte) ((from + i) * 7 % 251);
    return b;
  }

  /** The peer's data segment for stream bytes [from, from + len), acknowledging nothing new. */
  private static Segment data(Harness h, int from, int len) {
    return peer(ACK, PEER_ISS + 1 + from, h.sndUna(), stream(from, len));
  }

  private static byte[] readAll(Harness h) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n; (n = h.stack.read(h.conn, buf, 0, buf.length)) > 0; ) got.write(buf, 0, n);
    return got.toByteArray();
  }

  @Test
  void pressureIsEnteredAboveItsThresholdClampsTheWindowAndIsLeftUnderLow() {
    // tcp_mem 4 6 12 pages: pressure above 24 KB, left at or under 16 KB.
    Harness h = established("4 6 12", 32768);
    byte[] ours = new byte[20000];
    assertEquals(20000, h.stack.write(h.conn, ours, 0, ours.length));
    h.out();
    assertFalse(h.stack.memory().underPressure(), "20,000 bytes queued are 5 pages");
    for (int i = 0; i < 9; i++) h.send(data(h, i * MSS, MSS));
    assertEquals(29000, h.stack.memory().allocatedBytes());
    assertTrue(h.stack.memory().underPressure(), "29,000 bytes held are 8 pages");
    assertEquals(1, h.stack.memory().memoryPressures());
    assertEquals(1, h.stack.mib().get(LinuxMib.Counter.TCP_MEMORY_PRESSURES), "TcpExtTCPMemoryPressures");
    h.out();
    h.clock.advanceMillis(3);
    assertArrayEquals(stream(0, 9 * MSS), readAll(h));
    // The reads freed the buffer, but under pressure rcv_ssthresh (4 * 1460) holds the window to
    // what was offered already: no window update is worth sending (Linux's __tcp_cleanup_rbuf asks
    // the clamped __tcp_select_window).
    h.expectNothing();
    int left = h.conn.receiver.window.receiveWindow();
    h.send(data(h, 9 * MSS, MSS));
    // One segment with less than half the memory free asks for no quick ACK (__tcp_select_window
    // ended quick-ACK mode): the delayed ACK offers what is left of the last window, the clamped
    // one (rcv_ssthresh at most 4 * 1460, in whole segments) being smaller.
    h.advanceMillis(40);
    assertEquals(Math.max(left - MSS, 5 * MSS), h.expectOne(ACK).window());
    readAll(h);
    assertTrue(h.stack.memory().underPressure(), "20,000 queued bytes are still above low");
    for (int round = 0; round < 5 && h.conn.tcb().sendBuffer.size() > 0; round++) {
      h.out();
      h.send(peer(ACK, PEER_ISS + 1 + 10 * MSS, h.sndNxt()));
    }
    assertFalse(h.stack.memory().underPressure(), "all acknowledged: nothing held");
    assertEquals(43_000_000L, h.stack.memory().memoryPressuresNanos());
    // Out of pressure the clamped window grows back, two segments per segment, until the whole free
    // memory's window is offered again: the ACK of a segment not read yet (truesize 2304, ratio
    // 111/256) offers (32,768 - 2,304) * 111 / 256 = 13,208 in whole segments.
    int window = 0;
    for (int i = 10; i < 15; i++) {
      h.send(data(h, i * MSS, MSS));
      readAll(h);
      for (Segment s : h.out()) window = s.window();
    }
    assertEquals(13 * MSS, window);
  }

  @Test
  void outOfOrderTextIsPrunedFirstToTakeInOrderText() {
    // tcp_mem 1 2 4: pressure above 8 KB, nothing charged above 16 KB.
    Harness h = established("1 2 4", 65536);
    for (int i = 0; i < 4; i++) h.send(data(h, i * MSS, MSS));
    h.out();
    // A hole at [4000, 5000); out-of-order text beyond it until its charge is refused.
    for (int i = 5; i < 16; i++) h.send(data(h, i * MSS, MSS));
    assertTrue(h.stack.memory().underPressure());
    assertTrue(h.stack.memory().ofoDrops() > 0, "the fair share refused the last out-of-order segments");
    List<Segment> sacks = h.out();
    assertFalse(sacks.isEmpty());
    assertFalse(sacks.getLast().options().stream().noneMatch(o -> o instanceof TcpOption.Sack), "SACKed while held");
    // The hole's text cannot be charged either: the out-of-order blocks go (OfoPruned), it is taken.
    h.send(data(h, 4 * MSS, MSS));
    assertEquals(1, h.stack.memory().ofoPruned());
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 1 + 5 * MSS, ack.ack());
    assertTrue(ack.options().stream().noneMatch(o -> o instanceof TcpOption.Sack), "no SACK for pruned text: " + ack);
    assertEquals(5 * MSS, h.conn.tcb().receiveBuffer.held());
    assertArrayEquals(stream(0, 5 * MSS), readAll(h));
  }

  @Test
  void inOrderTextAboveHighIsDroppedWithAZeroWindowAndItsRetransmissionTakenOnceRead() {
    Harness h = established("1 2 4", 65536);
    int sent = 0;
    while (h.stack.memory().rcvQueueDrops() == 0) {
      h.send(data(h, sent, MSS));
      sent += MSS;
    }
    int dropped = sent - MSS;
    assertEquals(1, h.stack.mib().get(LinuxMib.Counter.TCP_RCVQ_DROP), "TcpExtTCPRcvQDrop");
    Segment ack = h.out().getLast();
    assertEquals(PEER_ISS + 1 + dropped, ack.ack(), "the dropped segment is not acknowledged");
    assertEquals(0, ack.window(), "Linux's ICSK_ACK_NOMEM: a zero window");
    assertEquals(dropped, h.conn.tcb().receiveBuffer.held());
    byte[] first = readAll(h);
    // Reading reopens the window, as far as rcv_ssthresh, clamped under pressure to 4 * 1460, lets
    // it, in whole segments of the peer's 1000 (__tcp_select_window without window scaling).
    assertEquals(5 * MSS, h.out().getLast().window());
    assertFalse(h.stack.memory().underPressure(), "all read: nothing held");
    h.send(data(h, dropped, MSS));
    assertEquals(PEER_ISS + 1 + sent, h.expectOne(ACK).ack());
    byte[] rest = readAll(h);
    byte[] all = new byte[first.length + rest.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    assertArrayEquals(stream(0, sent), all, "every byte once, in order");
  }

  @Test
  void writesAboveTheLimitTakeWhatIsLeftThenNothingUntilAcknowledged() {
    Harness h = established("1 2 4", 65536);
    byte[] ours = new byte[30000];
    // Under pressure one connection may hold less than high: 3 pages.
    assertEquals(12288, h.stack.write(h.conn, ours, 0, ours.length));
    assertEquals(0, h.stack.write(h.conn, ours, 0, ours.length), "EAGAIN");
    assertFalse(h.stack.memory().sendMemoryFree(h.conn), "poll: not writable");
    h.out();
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    assertTrue(h.stack.memory().sendMemoryFree(h.conn));
    assertTrue(h.stack.write(h.conn, ours, 0, ours.length) > 0);
  }

  @Test
  void aBufferGivesItsBytesBackWhenTheConnectionIsAborted() {
    Harness h = established("1 2 4", 65536);
    h.send(data(h, 0, MSS));
    assertEquals(MSS, h.stack.memory().allocatedBytes());
    h.stack.close(h.conn);
    assertEquals(0, h.stack.memory().allocatedBytes(), "close() with unread bytes resets and frees them");
  }
}
