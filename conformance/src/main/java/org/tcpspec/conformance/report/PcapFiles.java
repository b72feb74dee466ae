package org.tcpspec.conformance.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.wire.SegmentEmitter;

/**
 * Writes a run's packets as a pcap file, so a failing run can be opened in Wireshark or tcpdump:
 * the classic format of libpcap's savefile.c (a 24-byte file header, then a 16-byte header before
 * each packet), link type LINKTYPE_RAW (each record an IPv4 or IPv6 packet), microsecond stamps,
 * little-endian as libpcap writes it on x86. Written here rather than through libpcap: loading
 * Pcap4J, JNA and libpcap took 0.1 to 0.3 s of every {@code tcpspec run}, paid once per folder when
 * a corpus is run folder by folder.
 */
public final class PcapFiles {
  private PcapFiles() {}

  /** The magic number of a microsecond pcap file; readers tell the byte order from it. */
  static final int MAGIC_MICROS = 0xa1b2c3d4;
  static final short VERSION_MAJOR = 2;
  static final short VERSION_MINOR = 4;
  /** Longest packet a record may hold, as Pcap4J's dumper declared it. */
  static final int SNAPLEN = 65_536;
  /** LINKTYPE_RAW (tcpdump.org link-layer header types): the packet starts at its IP header. */
  static final int LINKTYPE_RAW = 101;
  static final int FILE_HEADER_BYTES = 24;
  static final int RECORD_HEADER_BYTES = 16;

  /** Writes the file and returns empty, or returns why it could not. */
  public static Optional<String> write(Path file, List<PacketRecord> packets, long baseEpochMicros) {
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
        out.write(fileHeader());
        for (PacketRecord p : packets) {
          byte[] bytes = SegmentEmitter.emit(p.segment());
          long micros = baseEpochMicros + p.micros();
          out.write(recordHeader(micros, bytes.length));
          out.write(bytes);
        }
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of("pcap not written: " + e);
    }
  }

  private static byte[] fileHeader() {
    return ByteBuffer.allocate(FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(MAGIC_MICROS)
        .putShort(VERSION_MAJOR)
        .putShort(VERSION_MINOR)
        .putInt(0) // thiszone: stamps are UTC
        .putInt(0) // sigfigs: always 0
        .putInt(SNAPLEN)
        .putInt(LINKTYPE_RAW)
        .array();
  }

  private static byte[] recordHeader(long epochMicros, int length) {
    return ByteBuffer.allocate(RECORD_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
        .putInt((int) Math.floorDiv(epochMicros, 1_000_000L))
        .putInt((int) Math.floorMod(epochMicros, 1_000_000L))
        .putInt(length) // captured
        .putInt(length) // on the wire
        .array();
  }
}
