package org.tcpspec.device.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code struct virtio_net_hdr} of include/uapi/linux/virtio_net.h: the 10 bytes in front of every
 * packet read from or written to a TUN device opened with IFF_VNET_HDR (and of every packet a
 * packet socket with PACKET_VNET_HDR receives). They say whether the packet is a GSO super-packet,
 * one IP header over {@code gsoSize}-byte segments' worth of payload that the wire would carry as
 * several packets, and whether its transport checksum is still to be completed.
 *
 * <pre>
 *   u8 flags          NEEDS_CSUM: sum from csumStart to the end, store at csumStart + csumOffset
 *   u8 gso_type       NONE, TCPV4, TCPV6 (| ECN: the segments may carry CWR)
 *   u16 hdr_len       length of the headers (a hint; tun.c raises it to cover the checksum field)
 *   u16 gso_size      payload bytes per segment (the MSS)
 *   u16 csum_start    offset of the transport header in the packet
 *   u16 csum_offset   offset of the checksum field in the transport header (16 for TCP)
 * </pre>
 *
 * <p>The 16-bit fields are in the host's byte order: tun.c converts them with tun16_to_cpu,
 * little-endian on a little-endian host unless TUNSETVNETBE asks otherwise, and af_packet.c with
 * vio_le(). Only little-endian hosts (x86-64, arm64) are supported, so they are little-endian here.
 *
 * @param flags VIRTIO_NET_HDR_F_* bits
 * @param gsoType VIRTIO_NET_HDR_GSO_* value
 * @param hdrLen header length hint
 * @param gsoSize payload bytes per segment of a GSO packet, 0 otherwise
 * @param csumStart where checksumming starts when {@link #needsChecksum()}
 * @param csumOffset where, after {@code csumStart}, the checksum goes
 */
public record VirtioNetHeader(
    int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {

  /** sizeof(struct virtio_net_hdr): the TUN device's default vnet header size. */
  public static final int SIZE = 10;

  /** VIRTIO_NET_HDR_F_NEEDS_CSUM: the transport checksum is partial (CHECKSUM_PARTIAL). */
  public static final int F_NEEDS_CSUM = 1;
  /** VIRTIO_NET_HDR_F_DATA_VALID: the checksum was verified (CHECKSUM_UNNECESSARY). */
  public static final int F_DATA_VALID = 2;

  public static final int GSO_NONE = 0;
  public static final int GSO_TCPV4 = 1;
  public static final int GSO_TCPV6 = 4;
  /** Or-ed into gso_type: the header has CWR, which only the first segment keeps (TSO_ECN). */
  public static final int GSO_ECN = 0x80;

  /** A plain packet: no GSO, checksums complete; what packetdrill writes before its packets. */
  public static final VirtioNetHeader NONE = new VirtioNetHeader(0, GSO_NONE, 0, 0, 0, 0);

  private static final ValueLayout.OfShort U16 =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort NET_U16 =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  public VirtioNetHeader {
    checkRange("flags", flags, 0xFF);
    checkRange("gsoType", gsoType, 0xFF);
    checkRange("hdrLen", hdrLen, 0xFFFF);
    checkRange("gsoSize", gsoSize, 0xFFFF);
    checkRange("csumStart", csumStart, 0xFFFF);
    checkRange("csumOffset", csumOffset, 0xFFFF);
  }

  private static void checkRange(String field, int value, int max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(field + " out of 0.." + max + ": " + value);
    }
  }

  /**
   * A super-packet with complete checksums that the kernel is to take as segments of {@code
   * gsoSize} payload bytes: what packetdrill's linux_tun_write (netdev.c) puts in front of an
   * inbound TCP packet when --mss is given.
   */
  public static VirtioNetHeader gso(int gsoType, int gsoSize) {
    return new VirtioNetHeader(0, gsoType, 0, gsoSize, 0, 0);
  }

  /** Reads the header stored at {@code offset} of {@code from}. */
  public static VirtioNetHeader read(MemorySegment from, long offset) {
    return new VirtioNetHeader(
        Byte.toUnsignedInt(from.get(ValueLayout.JAVA_BYTE, offset)),
        Byte.toUnsignedInt(from.get(ValueLayout.JAVA_BYTE, offset + 1)),
        Short.toUnsignedInt(from.get(U16, offset + 2)),
        Short.toUnsignedInt(from.get(U16, offset + 4)),
        Short.toUnsignedInt(from.get(U16, offset + 6)),
        Short.toUnsignedInt(from.get(U16, offset + 8)));
  }

  /** Stores this header at {@code offset} of {@code to}. */
  public void write(MemorySegment to, long offset) {
    write(to, offset, flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
  }

  /** Stores a header of these fields at {@code offset} of {@code to} without making a record (the data path). */
  public static void write(MemorySegment to, long offset, int flags, int gsoType, int hdrLen, int gsoSize,
      int csumStart, int csumOffset) {
    to.set(ValueLayout.JAVA_BYTE, offset, (byte) flags);
    to.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) gsoType);
    to.set(U16, offset + 2, (short) hdrLen);
    to.set(U16, offset + 4, (short) gsoSize);
    to.set(U16, offset + 6, (short) csumStart);
    to.set(U16, offset + 8, (short) csumOffset);
  }

  /** The flags byte of the header stored at {@code offset} of {@code from}. */
  static int flags(MemorySegment from, long offset) {
    return Byte.toUnsignedInt(from.get(ValueLayout.JAVA_BYTE, offset));
  }

  /** The gso_size of the header stored at {@code offset}, 0 unless its gso_type says GSO. */
  static int gsoSize(MemorySegment from, long offset) {
    int type = Byte.toUnsignedInt(from.get(ValueLayout.JAVA_BYTE, offset + 1)) & ~GSO_ECN;
    return type == GSO_NONE ? 0 : Short.toUnsignedInt(from.get(U16, offset + 4));
  }

  /** The transport checksum is partial: the packet as read does not verify until completed. */
  public boolean needsChecksum() {
    return (flags & F_NEEDS_CSUM) != 0;
  }

  /** The packet stands for several segments on the wire. */
  public boolean isGso() {
    return (gsoType & ~GSO_ECN) != GSO_NONE;
  }

  /**
   * Completes a partial checksum in place, as a NIC does on transmit and as Linux's
   * skb_checksum_help (net/core/dev.c) does for a device without checksum offload: the Internet
   * checksum (RFC 1071) of the bytes from {@code csumStart} to the end of {@code packet}, whose
   * checksum field already holds the pseudo-header's sum, stored complemented at {@code csumStart
   * + csumOffset} (0 stored as 0xFFFF, as skb_checksum_help does). Does nothing unless {@link
   * #needsChecksum()}.
   *
   * @throws IllegalArgumentException when the checksum field lies outside {@code packet}
   */
  public void completeChecksum(MemorySegment packet) {
    if (!needsChecksum()) return;
    long field = (long) csumStart + csumOffset;
    if (field + 2 > packet.byteSize()) {
      throw new IllegalArgumentException("checksum field at " + field + " beyond the packet's "
          + packet.byteSize() + " bytes (" + this + ")");
    }
    long sum = 0;
    long end = packet.byteSize();
    long at = csumStart;
    for (; at + 1 < end; at += 2) sum += Short.toUnsignedInt(packet.get(NET_U16, at));
    if (at < end) sum += Byte.toUnsignedInt(packet.get(ValueLayout.JAVA_BYTE, at)) << 8;
    while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
    int checksum = (int) ~sum & 0xFFFF;
    packet.set(NET_U16, field, (short) (checksum == 0 ? 0xFFFF : checksum));
  }
}
