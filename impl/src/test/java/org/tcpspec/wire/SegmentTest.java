package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentTest {

  /** packetdrill prints flags F S R P . U E W (packet_to_string.c, tcpdump 4.1.1's order). */
  @Test
  void flagsInPacketdrillOrder() {
    assertEquals("S", TcpFlags.toPacketdrill(TcpFlags.SYN));
    assertEquals("S.", TcpFlags.toPacketdrill(TcpFlags.SYN | TcpFlags.ACK));
    assertEquals("FP.", TcpFlags.toPacketdrill(TcpFlags.FIN | TcpFlags.PSH | TcpFlags.ACK));
    assertEquals("R.", TcpFlags.toPacketdrill(TcpFlags.RST | TcpFlags.ACK));
    assertEquals("S.E", TcpFlags.toPacketdrill(TcpFlags.SYN | TcpFlags.ACK | TcpFlags.ECE));
    assertEquals("SEW", TcpFlags.toPacketdrill(TcpFlags.SYN | TcpFlags.ECE | TcpFlags.CWR));
    assertEquals(".U", TcpFlags.toPacketdrill(TcpFlags.ACK | TcpFlags.URG));
    assertEquals("", TcpFlags.toPacketdrill(0));
  }

  @Test
  void toStringIsPacketdrillNotation() {
    Segment syn = new Segment(Packets.LOCAL, Packets.REMOTE, 38302, 8080, 1083972071, 0, TcpFlags.SYN, 64240, 0,
        List.of(new TcpOption.Mss(1460), new TcpOption.SackPermitted(), new TcpOption.Timestamp(0xd6cdd3c2, 0),
            new TcpOption.Nop(), new TcpOption.WindowScale(10)),
        new byte[0]);
    assertEquals("38302>8080 S 1083972071:1083972071(0) win 64240 "
        + "<mss 1460,sackOK,TS val 3603813314 ecr 0,nop,wscale 10>", syn.toString());
    Segment data = new Segment(Packets.REMOTE, Packets.LOCAL, 40000, 8080, 0xFFFFFFFE, 7,
        TcpFlags.PSH | TcpFlags.ACK, 502, 0,
        List.of(new TcpOption.Sack(List.of(new TcpOption.SackBlock(0xFFFFFFF0, 3))), new TcpOption.Unknown(254, new byte[] {(byte) 0xab})),
        new byte[4]);
    assertEquals("40000>8080 P. 4294967294:2(4) ack 7 win 502 <sack 4294967280:3,kind 254 len 3 ab>",
        data.toString());
  }

  @Test
  void segLenCountsSynAndFin() {
    assertEquals(1, Packets.syn().segLen());
    Segment finWithData = new Segment(1, 2, 3, 4, 5, 6, TcpFlags.FIN | TcpFlags.ACK, 7, 0, List.of(), new byte[10]);
    assertEquals(11, finWithData.segLen());
  }

  @Test
  void constructorRefusesOutOfRangeFieldsAndTooManyOptions() {
    assertThrows(IllegalArgumentException.class, () -> new Segment(0, 0, 65536, 0, 0, 0, 0, 0, 0, List.of(), new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new Segment(0, 0, 0, 0, 0, 0, 0x200, 0, 0, List.of(), new byte[0]));
    List<TcpOption> fortyOneBytes = List.of(new TcpOption.Timestamp(1, 2), new TcpOption.Timestamp(1, 2),
        new TcpOption.Timestamp(1, 2), new TcpOption.Timestamp(1, 2), new TcpOption.Nop());
    assertThrows(IllegalArgumentException.class, () -> new Segment(0, 0, 0, 0, 0, 0, 0, 0, 0, fortyOneBytes, new byte[0]));
  }

  @Test
  void payloadIsCopiedInAndOut() {
    byte[] data = {1, 2, 3};
    Segment s = Packets.data(data, List.of());
    data[0] = 9;
    assertEquals(1, s.payload()[0]);
    s.payload()[1] = 9;
    assertEquals(2, s.payload()[1]);
    assertNotEquals(s, Packets.data(new byte[] {1, 2, 4}, List.of()));
    assertEquals(s, Packets.data(new byte[] {1, 2, 3}, List.of()));
  }
}
