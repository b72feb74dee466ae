package org.tcpspec.stack;

/**
 * How the sender decides which segments are lost: one seam with an implementation per algorithm,
 * as gVisor's lossRecovery (sack_recovery.go, reno_recovery.go, rack.go) and Linux's
 * tcp_identify_packet_loss. {@link CaStateMachine} runs the rest the same way for all of them
 * (Linux's tcp_fastretrans_alert): when recovery starts and ends, PRR, undo, what is
 * retransmitted (the segments marked lost), the timeout's Loss state.
 *
 * <ul>
 *   <li>{@link RackRecovery}: RACK (RFC 8985 §6), by time, Linux's default with SACK;
 *   <li>{@link SackRecovery}: RFC 6675's IsLost by count of SACKed segments (tcp_recovery=0);
 *   <li>{@link NewRenoRecovery}: without SACK, RFC 6582's head on duplicate ACKs and partial ACKs.
 * </ul>
 */
interface LossRecovery {
  /** The ACK's newly delivered segments are in the sample: RACK takes its reference from them. */
  default void onDelivered(AckSample ack) {}

  /** Marks the segments this algorithm now believes lost (Linux tcp_identify_packet_loss). */
  void detectLoss(AckSample ack);

  /**
   * After the ACK's state decision (Linux tcp_update_scoreboard): {@code fastRetransmit} when
   * recovery has just started on it.
   */
  default void afterDecision(AckSample ack, boolean fastRetransmit) {}

  /** The reorder timer this algorithm asked for expired: mark what waited long enough. */
  default void reorderTimerExpired(AckSample sample) {}

  /** The peer reported a needless retransmission (a DSACK) while reordering had been seen. */
  default void dsackSeen() {}

  /** Recovery ended; {@code undone}: as spurious (a DSACK undo counts up RACK's persistence). */
  default void recoveryEnded(boolean undone) {}
}
