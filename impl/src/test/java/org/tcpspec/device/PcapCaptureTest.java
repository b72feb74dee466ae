package org.tcpspec.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.EOFException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.tcpspec.time.ManualClock;

class PcapCaptureTest {

  /** A SYN from 192.0.2.1:40000 to 192.168.0.1:8080 with correct checksums (hand-assembled). */
  private static final byte[] SYN = {
    0x45,
    0,
    0,
    40,
    0,
    0,
    0x40,
    0,
    64,
    6,
    0,
    0, // ver/ihl..proto, checksum filled in below
    (byte) 192,
    0,
    2,
    1,
    (byte) 192,
    (byte) 168,
    0,
    1,
    (byte) 0x9C,
    0x40,
    0x1F,
    (byte) 0x90,
    0,
    0,
    0,
    100,
    0,
    0,
    0,
    0,
    0x50,
    0x02,
    (byte) 0xFF,
    (byte) 0xFF,
    0,
    0,
    0,
    0
  };

  static {
    int sum = 0;
    for (int i = 0; i < 20; i += 2) sum += ((SYN[i] & 0xFF) << 8) | (SYN[i + 1] & 0xFF);
    sum = (sum & 0xFFFF) + (sum >>> 16);
    SYN[10] = (byte) (~sum >>> 8);
    SYN[11] = (byte) ~sum;
  }

  @Test
  void bothDirectionsAreWrittenAndPcap4jReadsThemBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("run.pcap");
    ManualClock clock = new ManualClock();
    InMemoryLink link = new InMemoryLink();
    byte[] reply = SYN.clone();
    reply[33] = 0x12; // SYN-ACK
    try (PcapCapture capture = PcapCapture.open(link.a(), file, clock)) {
      capture.transmit(SYN);
      clock.advanceMillis(250);
      link.b().transmit(reply);
      assertArrayEquals(reply, capture.receive(0).orElseThrow());
    }

    List<byte[]> raw = new ArrayList<>();
    List<Long> nanos = new ArrayList<>();
    List<Packet> decoded = new ArrayList<>();
    PcapHandle in = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
    try {
      assertEquals(DataLinkType.RAW.value(), in.getDlt().value());
      while (true) {
        Packet p;
        try {
          p = in.getNextPacketEx();
        } catch (EOFException end) {
          break;
        }
        decoded.add(p);
        raw.add(p.getRawData());
        nanos.add(
            in.getTimestamp().getTime() / 1000 * 1_000_000_000L + in.getTimestamp().getNanos());
      }
    } finally {
      in.close();
    }
    assertEquals(2, raw.size());
    assertArrayEquals(SYN, raw.get(0));
    assertArrayEquals(reply, raw.get(1));
    assertEquals(
        250_000_000L, nanos.get(1) - nanos.get(0), "spacing is the manual clock's, exactly");
    TcpPacket tcp = decoded.get(0).get(TcpPacket.class);
    assertNotNull(decoded.get(0).get(IpV4Packet.class));
    assertNotNull(tcp, "decoded as TCP: " + decoded.get(0));
    assertEquals(8080, tcp.getHeader().getDstPort().valueAsInt());
    assertEquals(true, tcp.getHeader().getSyn());
  }
}
