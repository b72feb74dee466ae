package org.tcpspec.stack;

import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_OPT_ID;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_OPT_TSONLY;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_TX_ACK;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_TX_SCHED;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_TX_SOFTWARE;
import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.ge;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import java.util.ArrayDeque;
import java.util.Optional;
import org.tcpspec.abi.Symbol;

/**
 * SO_TIMESTAMPING's transmit timestamps of one connection, as Linux takes them for TCP (the
 * "net-timestamp: TCP timestamping" and "ACK timestamp for bytestreams" patches; tcp_tx_timestamp,
 * __skb_tstamp_tx, tcp_ack_tstamp). A write made while the socket's flags ask for a timestamp
 * (TX_SCHED, TX_SOFTWARE, TX_ACK) asks for it of its last byte: Linux tags the tail skb of the
 * write queue, whose key is the sequence number of that byte (shinfo->tskey = seq + len - 1),
 * before it pushes what was written. The segment that carries the key byte is stamped
 * SCM_TSTAMP_SCHED when it enters the packet scheduler (__dev_queue_xmit) and SCM_TSTAMP_SND when
 * the driver sends it (skb_tx_timestamp), at each transmission, retransmissions too, since clones
 * share the tagged skb's flags; SCM_TSTAMP_ACK when SND.UNA first passes the key (SACK does not
 * count). Each stamp goes onto the socket's error queue with the clock's reading then.
 *
 * <p>Linux keeps one key per skb: a write that appends to an unsent tail skb takes over the key
 * of the write before it, whose timestamps are then never taken ("silently replaces requests for
 * previous timestamps"). Here a request whose key byte is not sent yet is taken over by the next
 * write's; an skb that was full, and so not appended to, keeps its key on Linux and loses it here.
 * With SOF_TIMESTAMPING_OPT_ID a stamp carries the key relative to the connection's SND.UNA when
 * the flag was set (write_seq with OPT_ID_TCP: sk_tskey); else 0. Not modelled: the error queue's
 * bound (Linux drops a stamp when the socket's receive memory is full), Fast Open's SYN data
 * (which Linux does not stamp either).
 */
public final class TxTimestamps {

  /** Which moment a stamp is of: sock_extended_err.ee_info (SCM_TSTAMP_*). */
  public enum Kind {
    SND(Symbol.SCM_TSTAMP_SND),
    SCHED(Symbol.SCM_TSTAMP_SCHED),
    ACK(Symbol.SCM_TSTAMP_ACK);

    private final Symbol scm;

    Kind(Symbol scm) {
      this.scm = scm;
    }

    /** The SCM_TSTAMP_* value Linux reports in ee_info. */
    public int value() {
      return scm.value();
    }
  }

  /**
   * A stamp on the error queue: its kind, the id ee_data carries, the clock's reading (ns), and
   * whether it loops back no packet (SOF_TIMESTAMPING_OPT_TSONLY: an empty skb, else a clone of
   * the stamped one).
   */
  public record Stamp(Kind kind, int id, long nanos, boolean timestampOnly) {}

  /** A write's request: the sequence number of its last byte and the TX_* flags it asked with. */
  private record Request(int key, int flags) {}

  private static final int RECORD_FLAGS = SOF_TIMESTAMPING_TX_SCHED.value() | SOF_TIMESTAMPING_TX_SOFTWARE.value()
      | SOF_TIMESTAMPING_TX_ACK.value();

  private final Connection c;
  /** Requests not yet acknowledged, oldest (lowest key) first; null until the first. */
  private ArrayDeque<Request> requests;
  private ArrayDeque<Stamp> queued;
  /** Linux sk_tskey: where OPT_ID's ids count from. */
  private int idBase;

  TxTimestamps(Connection c) {
    this.c = c;
  }

  /**
   * SOF_TIMESTAMPING_OPT_ID was turned on (Linux sock_set_timestamping): ids count from SND.UNA,
   * or from write_seq when {@code fromWriteSeq} (SOF_TIMESTAMPING_OPT_ID_TCP).
   */
  public void startIds(boolean fromWriteSeq) {
    idBase = fromWriteSeq ? QueueLengths.writeSeq(c) : c.tcb.sndUna;
  }

  /** The oldest stamp on the error queue, taken off it; empty when none waits. */
  public Optional<Stamp> take() {
    return Optional.ofNullable(queued == null ? null : queued.poll());
  }

  /** Whether a stamp waits on the error queue (poll's POLLERR). */
  public boolean waiting() {
    return queued != null && !queued.isEmpty();
  }

  /**
   * A write was queued and is about to be pushed (Linux tcp_tx_timestamp): with a TX_* flag on,
   * its last byte is to be stamped.
   */
  void written() {
    int flags = c.options.timestamping & RECORD_FLAGS;
    if (flags == 0) return;
    int key = plus(QueueLengths.writeSeq(c), -1);
    if (requests == null) requests = new ArrayDeque<>();
    Request last = requests.peekLast();
    if (last != null && ge(last.key(), c.tcb.sndNxt)) {
      requests.pollLast();
      flags |= last.flags();
    }
    requests.add(new Request(key, flags));
  }

  /** [seq, seq + len) goes out now, for the first time or again: SCHED and SND stamps of the keys in it. */
  void transmitted(int seq, int len, long nowNanos) {
    if (requests == null || requests.isEmpty() || len <= 0) return;
    for (Request r : requests) {
      if (lt(r.key(), seq)) continue;
      if (distance(seq, r.key()) >= len) break;
      if ((r.flags() & SOF_TIMESTAMPING_TX_SCHED.value()) != 0) queue(Kind.SCHED, r.key(), nowNanos);
      if ((r.flags() & SOF_TIMESTAMPING_TX_SOFTWARE.value()) != 0) queue(Kind.SND, r.key(), nowNanos);
    }
  }

  /** SND.UNA moved from {@code priorUna} to {@code una}: ACK stamps of the keys it passed (tcp_ack_tstamp). */
  void acked(int priorUna, int una, long nowNanos) {
    if (requests == null) return;
    while (!requests.isEmpty() && lt(requests.peek().key(), una)) {
      Request r = requests.poll();
      if ((r.flags() & SOF_TIMESTAMPING_TX_ACK.value()) != 0 && ge(r.key(), priorUna)) queue(Kind.ACK, r.key(), nowNanos);
    }
  }

  /** __skb_complete_tx_timestamp: the id and the looped packet as the socket's flags say now. */
  private void queue(Kind kind, int key, long nowNanos) {
    int flags = c.options.timestamping;
    int id = (flags & SOF_TIMESTAMPING_OPT_ID.value()) != 0 ? distance(idBase, key) : 0;
    if (queued == null) queued = new ArrayDeque<>();
    queued.add(new Stamp(kind, id, nowNanos, (flags & SOF_TIMESTAMPING_OPT_TSONLY.value()) != 0));
  }
}
