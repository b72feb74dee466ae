package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.fsm.State;

/**
 * What a connection's queues hold, as Linux's tcp_ioctl reports it (net/ipv4/tcp.c): SIOCINQ the
 * bytes not yet read (tcp_inq), SIOCOUTQ those written and not yet acknowledged (write_seq -
 * snd_una), SIOCOUTQNSD those written and not yet sent (write_seq - snd_nxt), SIOCATMARK whether
 * the next byte to read is the urgent mark. Linux's write_seq, the sequence number after the last
 * byte written, counts the SYN and a queued FIN as our SND.NXT does; each length is 0 while the
 * handshake runs (SYN-SENT, SYN-RECEIVED).
 */
public final class QueueLengths {
  private QueueLengths() {}

  /**
   * SIOCINQ (Linux tcp_inq): the bytes in order not yet read, RCV.NXT - copied_seq less the peer's
   * FIN (SOCK_DONE); without SO_OOBINLINE, only those before an out-of-band octet that arrived
   * and was not read past (urg_seq - copied_seq), since a read stops there.
   */
  public static int unread(Connection c) {
    if (handshaking(c)) return 0;
    long beforeMark = c.options.oobInline ? -1 : c.urgent.unreadBeforeMark();
    if (beforeMark >= 0) return (int) beforeMark;
    return Math.max(0, c.tcb.receiveBuffer.readable());
  }

  /** SIOCOUTQ: write_seq - SND.UNA, the bytes (and a FIN) written and not yet acknowledged. */
  public static int unacknowledged(Connection c) {
    return handshaking(c) ? 0 : distance(c.tcb.sndUna, writeSeq(c));
  }

  /** SIOCOUTQNSD: write_seq - SND.NXT, the bytes (and a FIN) written and not yet sent. */
  public static int unsent(Connection c) {
    return handshaking(c) ? 0 : distance(c.tcb.sndNxt, writeSeq(c));
  }

  /** SIOCATMARK: the next byte to read is the urgent mark (Linux: urg_data and urg_seq == copied_seq). */
  public static boolean atUrgentMark(Connection c) {
    return c.urgent.atMark();
  }

  /**
   * Linux's write_seq: SND.NXT, then the bytes not yet sent and a FIN not yet sent; once the FIN
   * went, SND.NXT itself (nothing is written after a FIN). A connection whose send buffer was
   * dropped (a reset) has nothing unsent.
   */
  static int writeSeq(Connection c) {
    if (c.tcb.finSent) return c.tcb.sndNxt;
    return plus(c.tcb.sndNxt, Math.max(0, c.sender.unsentBytes()) + (c.tcb.finQueued ? 1 : 0));
  }

  private static boolean handshaking(Connection c) {
    return c.state() == State.SYN_SENT || c.state() == State.SYN_RECEIVED;
  }
}
