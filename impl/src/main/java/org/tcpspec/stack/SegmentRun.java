package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.wire.TcpFlags;

/**
 * The new data of one output pass that goes as one segment standing for a run of MSS-sized ones,
 * for a sink that segments on transmit (Linux's TSO skb: tcp_write_xmit builds one skb of up to
 * tcp_tso_autosize segments, and the device, here the kernel behind the TUN device, cuts it at the
 * gso_size). The sender still decides every segment of the run one by one (windows, Nagle, PSH,
 * its queue entry and send time); only the building and handing over of the segments, which
 * would carry identical headers but for the sequence number and the last one's PSH, is done once
 * per run (it was 12 % of a sending thread's samples over TUN at MTU 1500, 36 segments per
 * packet). Holds positions only: the payload stays in the send buffer until {@link
 * NewDataSegments#flushRun()} hands it over, within the same pass.
 */
final class SegmentRun {
  /**
   * The most payload of a run: an IP packet's 65,535 bytes less the largest IPv6 and TCP headers,
   * so that the packet the sink builds fits IPv4's total length and IPv6's payload length.
   */
  static final int MAX_PAYLOAD = 65_535 - 40 - 60;

  private int seq;
  /** Where the run's payload starts in the send buffer (bytes from SND.UNA's). */
  private int from;
  private int length;
  private int segmentSize;
  private int flags;

  boolean isEmpty() {
    return length == 0;
  }

  /**
   * Whether a segment of {@code len} bytes at {@code seq}, of segment size {@code mss}, may join:
   * the run is empty, or the segment continues it, every segment before it was full-sized and
   * without PSH, and the whole fits {@link #MAX_PAYLOAD}.
   */
  boolean takes(int seq, int len, int mss) {
    if (length == 0) return len <= MAX_PAYLOAD;
    return seq == plus(this.seq, length) && mss == segmentSize && length % segmentSize == 0
        && (flags & TcpFlags.PSH) == 0 && length + len <= MAX_PAYLOAD;
  }

  /** Adds a segment {@link #takes} accepted; {@code flags} are ACK, with PSH on a run's last. */
  void add(int seq, int from, int len, int flags, int mss) {
    if (length == 0) {
      this.seq = seq;
      this.from = from;
      this.segmentSize = mss;
    }
    length += len;
    this.flags = flags;
  }

  /** Whether no segment can join any more: it ended with PSH, or short, or another would not fit. */
  boolean closed() {
    return (flags & TcpFlags.PSH) != 0 || length % segmentSize != 0 || length + segmentSize > MAX_PAYLOAD;
  }

  int seq() {
    return seq;
  }

  int from() {
    return from;
  }

  int length() {
    return length;
  }

  int segmentSize() {
    return segmentSize;
  }

  /** The last segment's flags, the run's. */
  int flags() {
    return flags;
  }

  void clear() {
    length = 0;
  }
}
