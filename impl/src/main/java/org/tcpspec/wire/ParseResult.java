package org.tcpspec.wire;

/**
 * What {@link SegmentParser} makes of a packet: a {@link Parsed} segment, or the reason it is
 * {@link Malformed}. Switch over it exhaustively; there is no third outcome and no exception.
 */
public sealed interface ParseResult {

  /** A well-formed TCP packet over IPv4 or IPv6: the segment and the IP fields it does not carry. */
  record Parsed(Segment segment, Ipv4Params ip) implements ParseResult {}

  /**
   * A packet the stack must drop: {@code field} names the header field at fault in the form
   * {@code "ipv4.totalLength"}, {@code "ipv6.nextHeader"}, {@code "tcp.options"} ({@code "ipv4"},
   * {@code "ipv6"} and {@code "tcp"} alone
   * when the header is truncated, {@code "buffer"} when offset and length do not fit the array);
   * {@code reason} says what was wrong with it, with the values seen.
   */
  record Malformed(String field, String reason) implements ParseResult {
    @Override
    public String toString() {
      return field + ": " + reason;
    }
  }
}
