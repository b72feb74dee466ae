package org.tcpspec.stack;

import org.tcpspec.wire.SegmentView;

/**
 * How the sender finds lost segments and repairs them: one seam with an implementation per
 * algorithm, as gVisor's lossRecovery (sack_recovery.go, reno_recovery.go). The sender processes
 * each ACK (SND.UNA, the window, RTT) and tells recovery what it was; recovery decides when a
 * segment is lost, what to retransmit (through {@link Sender#retransmitHead} and {@link
 * Sender#retransmitRange}), how much may be in flight, and sets cwnd while it recovers.
 */
interface LossRecovery {
  /**
   * Takes in the SACK blocks of {@code ack} (RFC 2018 §3), SND.UNA being {@code sndUna} once the
   * ACK is processed. Returns true when they report octets not SACKed before.
   */
  boolean sacked(SegmentView ack, int sndUna);

  /** SND.UNA advanced to {@code ack} by {@code ackedBytes} (already applied to the TCB). */
  void onNewAck(int ack, long ackedBytes);

  /** A duplicate ACK: RFC 5681 §2's definition, or RFC 6675 §2's with SACK. */
  void onDuplicateAck();

  /** The retransmission timer expired; the sender then resends the head (RFC 6298 §5.4). */
  void onRetransmitTimeout();

  /** The sender just retransmitted octets up to {@code end}. */
  void onRetransmitted(int end);

  /** How many more bytes congestion control lets out now (may be negative). */
  long sendRoom();

  /** In fast recovery: a loss was repaired and the recovery point is not yet acknowledged. */
  boolean inRecovery();
}
