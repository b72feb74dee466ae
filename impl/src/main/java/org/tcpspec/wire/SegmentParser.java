package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.tcpspec.wire.ParseResult.Parsed;

/**
 * The record path: turns the bytes of one IPv4 or IPv6 packet into a {@link Segment}, or into the reason
 * it is malformed. It is a {@link SegmentReader} wrap (where every validation rule is written,
 * once) plus a copy of the view into the record, as smoltcp's {@code Repr::parse} runs over a
 * {@code Packet::new_checked}. It never throws, whatever the bytes, offset and length.
 */
public final class SegmentParser {
  private SegmentParser() {}

  /** Parses the IP packet in {@code packet[offset, offset + length)}. */
  public static ParseResult parse(byte[] packet, int offset, int length) {
    SegmentReader reader = new SegmentReader();
    return reader.wrap(packet, offset, length) ? copy(reader) : reader.malformed();
  }

  /** Parses absolute indices {@code [offset, offset + length)} of the buffer. */
  public static ParseResult parse(ByteBuffer packet, int offset, int length) {
    SegmentReader reader = new SegmentReader();
    return reader.wrap(packet, offset, length) ? copy(reader) : reader.malformed();
  }

  public static ParseResult parse(MemorySegment packet, long offset, int length) {
    SegmentReader reader = new SegmentReader();
    return reader.wrap(packet, offset, length) ? copy(reader) : reader.malformed();
  }

  private static Parsed copy(SegmentReader reader) {
    return new Parsed(Segment.copyOf(reader), reader.ipv4Params());
  }
}
