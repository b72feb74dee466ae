package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;

/**
 * Where an {@link OutboundSegment}'s payload lies when the stack does not copy it into the
 * segment: the connection's send buffer. Whoever writes the segment out copies the bytes straight
 * from here into the packet (issue 15: on the TUN path the payload went send buffer, then the
 * segment's array, then the device's packet buffer; now it skips the array, as Linux's skb
 * carries the pages tcp_sendmsg copied the user's bytes into).
 */
public interface PayloadSource {
  /** Copies {@code len} bytes starting at {@code from} into {@code dst} at {@code dstOff}. */
  void copyOut(int from, byte[] dst, int dstOff, int len);

  /** Copies {@code len} bytes starting at {@code from} into {@code dst} at {@code dstOff}. */
  void copyOut(int from, MemorySegment dst, long dstOff, int len);

  /**
   * Adds to {@code out} where bytes {@code [from, from + len)} lie in native memory, and returns
   * true; false (nothing added) when they do not lie in native memory or {@code out} has no room
   * for the runs they take. The bytes must not change until the packet is written.
   */
  default boolean slicesTo(int from, int len, NativeSlices out) {
    return false;
  }
}
