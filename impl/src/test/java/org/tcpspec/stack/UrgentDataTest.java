package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.Segment;

/**
 * RFC 9293 §3.8.5, the urgent mechanism (MUST-30 to MUST-33, MUST-62), as Linux runs it without
 * SO_OOBINLINE: tcp_mark_urg and tcp_transmit_skb send it, tcp_check_urg, tcp_urg and
 * tcp_recv_urg receive it.
 */
class UrgentDataTest {

  private static byte[] counting(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i + 1);
    return b;
  }

  @Test
  void urgentDataIsMarkedWithAPointerToTheOctetAfterItUntilAcknowledged() {
    Harness h = established();
    int start = h.sndNxt();
    assertEquals(100, h.stack.send(h.conn, counting(100), 0, 100, false, false, true));
    Segment s = h.expectOne(ACK | PSH | URG);
    assertEquals(100, s.payloadLength());
    assertEquals(100, s.urgentPointer(), "MUST-62: SEG.SEQ + urgent pointer is the octet after the urgent data");
    h.send(peer(ACK, PEER_ISS + 1, start + 100));
    h.stack.write(h.conn, counting(10), 0, 10);
    Segment after = h.expectOne(ACK | PSH);
    assertFalse(after.has(URG), "urgent mode ends once SND.UNA reaches SND.UP");
  }

  @Test
  void everySegmentBeforeTheMarkCarriesItRelativeToItsOwnSequenceNumber() {
    // MUST-31: urgent data of any length; the peer's MSS (536, no option) cuts it in three.
    Harness h = established();
    h.stack.send(h.conn, counting(1200), 0, 1200, false, false, true);
    List<Segment> out = h.out();
    assertEquals(3, out.size(), out.toString());
    assertEquals(List.of(1200, 664, 128), out.stream().map(Segment::urgentPointer).toList());
    assertTrue(out.stream().allMatch(x -> x.has(URG)));
  }

  @Test
  void theOctetBeforeAnArrivingPointerIsOutOfBandAndReadsStepOverIt() {
    Harness h = established();
    assertEquals(OptionalInt.empty(), h.conn.readUrgent(false));
    assertFalse(h.conn.urgentAnnounced());
    h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.sndNxt(), ACK | PSH | URG,
        PEER_WINDOW, 10, List.of(), counting(10)));
    assertTrue(h.conn.urgentReadable(), "MUST-32: the application learns urgent data arrived");
    assertEquals(OptionalInt.of(10), h.conn.readUrgent(true));
    assertEquals(OptionalInt.of(10), h.conn.readUrgent(false));
    assertEquals(OptionalInt.empty(), h.conn.readUrgent(false), "read once");
    byte[] buf = new byte[100];
    assertEquals(9, h.stack.read(h.conn, buf, 0, 100), "a read stops at the mark");
    assertEquals(9, buf[8]);
    h.send(peer(ACK | PSH, PEER_ISS + 11, h.sndNxt(), new byte[] {42, 43}));
    assertEquals(2, h.stack.read(h.conn, buf, 0, 100), "the out-of-band octet is not in the stream");
    assertEquals(42, buf[0]);
  }

  @Test
  void withOobInlineTheOctetStaysInTheStream() {
    Harness h = established();
    h.conn.options().oobInline = true;
    h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.sndNxt(), ACK | PSH | URG,
        PEER_WINDOW, 10, List.of(), counting(10)));
    assertEquals(OptionalInt.empty(), h.conn.readUrgent(false), "Linux tcp_recv_urg: EINVAL with SOCK_URGINLINE");
    byte[] buf = new byte[100];
    assertEquals(9, h.stack.read(h.conn, buf, 0, 100), "a read still stops at the mark");
    assertEquals(1, h.stack.read(h.conn, buf, 0, 100));
    assertEquals(10, buf[0]);
  }

  @Test
  void aPointerBeyondTheSegmentIsAnnouncedUntilItsOctetArrives() {
    Harness h = established();
    h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.sndNxt(), ACK | URG,
        PEER_WINDOW, 15, List.of(), counting(10)));
    assertTrue(h.conn.urgentAnnounced());
    assertFalse(h.conn.urgentReadable());
    h.send(peer(ACK | PSH, PEER_ISS + 11, h.sndNxt(), counting(10)));
    assertEquals(OptionalInt.of(5), h.conn.readUrgent(false));
    byte[] buf = new byte[100];
    assertEquals(14, h.stack.read(h.conn, buf, 0, 100));
    assertEquals(5, h.stack.read(h.conn, buf, 0, 100));
    assertEquals(6, buf[0]);
  }
}
