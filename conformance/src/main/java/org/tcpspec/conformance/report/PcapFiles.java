package org.tcpspec.conformance.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.wire.SegmentEmitter;

/**
 * Writes a run's packets as a pcap file (raw IPv4 link type) with Pcap4J, so a failing run can
 * be opened in Wireshark or tcpdump. Needs libpcap; without it the report says why there is no
 * file instead of failing.
 */
public final class PcapFiles {
  private PcapFiles() {}

  /** Writes the file and returns empty, or returns why it could not. */
  public static Optional<String> write(Path file, List<PacketRecord> packets, long baseEpochMicros) {
    try {
      Files.createDirectories(file.getParent());
      try (PcapHandle dead = Pcaps.openDead(DataLinkType.RAW, 65_536);
          PcapDumper dumper = dead.dumpOpen(file.toString())) {
        for (PacketRecord p : packets) {
          byte[] bytes = SegmentEmitter.emit(p.segment());
          long micros = baseEpochMicros + p.micros();
          Timestamp ts = new Timestamp(micros / 1000);
          ts.setNanos((int) (micros % 1_000_000) * 1000);
          dumper.dump(IpV4Packet.newPacket(bytes, 0, bytes.length), ts);
        }
      }
      return Optional.empty();
    } catch (Exception | LinkageError e) {
      return Optional.of("pcap not written: " + e);
    }
  }
}
