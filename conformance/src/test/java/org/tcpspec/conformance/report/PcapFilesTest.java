package org.tcpspec.conformance.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.Packet;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * The pcap files of a report, written without libpcap, read back by libpcap (through Pcap4J, as
 * impl's PcapCaptureTest does): the link type, every packet's bytes and its stamp to the
 * microsecond, IPv4 and IPv6 alike.
 */
class PcapFilesTest {

  private static final long BASE_EPOCH_MICROS = 1_764_900_000_123_456L;

  @Test
  void libpcapReadsBackEachPacketWithItsStamp(@TempDir Path dir) throws Exception {
    Segment syn = new Segment(IpAddress.parse("192.0.2.1"), IpAddress.parse("192.168.0.1"), 40000, 8080,
        1000, 0, TcpFlags.SYN, 65535, 0, List.of(new TcpOption.Mss(1000)), new byte[0]);
    Segment synAck6 = new Segment(IpAddress.parse("fd3d:fa7b:d17d::1"), IpAddress.parse("2001:db8::1"), 8080,
        40000, 5000, 1001, TcpFlags.SYN | TcpFlags.ACK, 65535, 0, List.of(), new byte[0]);
    List<PacketRecord> packets = List.of(new PacketRecord(0, true, syn, 3), new PacketRecord(1_999_999, false, synAck6, 4));
    Path file = dir.resolve("pcap").resolve("run.pcap");

    assertEquals(Optional.empty(), PcapFiles.write(file, packets, BASE_EPOCH_MICROS));

    ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file), 0, PcapFiles.FILE_HEADER_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(PcapFiles.MAGIC_MICROS, header.getInt(0));
    assertEquals(PcapFiles.LINKTYPE_RAW, header.getInt(20));
    List<byte[]> raw = new ArrayList<>();
    List<Long> micros = new ArrayList<>();
    PcapHandle in = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.MICRO);
    try {
      while (true) {
        Packet p;
        try {
          p = in.getNextPacketEx();
        } catch (EOFException end) {
          break;
        }
        raw.add(p.getRawData());
        micros.add(in.getTimestamp().getTime() / 1000 * 1_000_000L + in.getTimestamp().getNanos() / 1000);
      }
    } finally {
      in.close();
    }
    assertEquals(2, raw.size());
    assertArrayEquals(SegmentEmitter.emit(syn), raw.get(0));
    assertArrayEquals(SegmentEmitter.emit(synAck6), raw.get(1));
    assertEquals(List.of(BASE_EPOCH_MICROS, BASE_EPOCH_MICROS + 1_999_999), micros);
  }

  @Test
  void aFileThatCannotBeWrittenIsNamedNotThrown(@TempDir Path dir) throws Exception {
    Path notADirectory = dir.resolve("file");
    Files.writeString(notADirectory, "");
    Optional<String> why = PcapFiles.write(notADirectory.resolve("run.pcap"), List.of(), 0);
    assertTrue(why.orElseThrow().startsWith("pcap not written: "), why.toString());
  }
}
