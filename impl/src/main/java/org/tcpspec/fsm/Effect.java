package org.tcpspec.fsm;

/**
 * What a row does besides changing state, run in the order the row lists them by the {@link
 * EffectHandler} (the connection). Effects name RFC steps, not code paths.
 */
public enum Effect {
  /** Pick the ISS (RFC 6528) and set SND.UNA, SND.NXT (§3.10.1). */
  CHOOSE_ISS,
  /**
   * A new incarnation takes the TIME-WAIT connection's place (§3.6.1 MAY-2, RFC 6191): a fresh
   * TCB owned by the port's listener, its ISS above the old SND.NXT.
   */
  REOPEN,
  /** Send <SEQ=ISS><CTL=SYN>, our options included (§3.10.1). */
  SEND_SYN,
  /** Record the peer's SYN: IRS, RCV.NXT = SEG.SEQ + 1, its options (§3.10.7.2, §3.10.7.3). */
  RECORD_SYN,
  /** Send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> (§3.10.7.2). */
  SEND_SYN_ACK,
  /** Update SND.UNA, the send window (SND.WL1/WL2), RTT, congestion control (§3.10.7.4 ACK). */
  PROCESS_ACK,
  /** Accept in-window text into the receive buffer or the reassembler, ACK it (§3.10.7.4 text). */
  RECEIVE_TEXT,
  /** Advance RCV.NXT over the FIN, signal end of stream, ACK it now (§3.10.7.4 eighth). */
  RECEIVE_FIN,
  /** Send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> now. */
  SEND_ACK,
  /**
   * §3.10.7.4 first check: the ACK answering a segment that is not acceptable. Linux
   * (tcp_validate_incoming, tcp_oow_rate_limited) sends it at most once per 500 ms per connection
   * for a segment that occupies no sequence space or carries a SYN, sharing the limit with
   * {@link #CHALLENGE_ACK}; other segments (text, a FIN) are always answered.
   */
  SEND_OUT_OF_WINDOW_ACK,
  /**
   * Linux (tcp_check_req): the peer's SYN again in a passive SYN-RECEIVED gets the SYN-ACK again
   * instead of an ACK, under the same rate limit as {@link #SEND_OUT_OF_WINDOW_ACK}.
   */
  RESEND_SYN_ACK,
  /**
   * RFC 5961 §3.2/§4.2/§5.2 challenge ACK (same segment as SEND_ACK), also the ACK answering an
   * ACK of something not yet sent (§3.10.7.4 fifth; Linux 6.18's tcp_ack answers it with
   * tcp_send_challenge_ack): at most once per 500 ms per connection, whatever the segment carries,
   * as RFC 5961 §7 asks and Linux does (__tcp_oow_rate_limited, shared with
   * {@link #SEND_OUT_OF_WINDOW_ACK}).
   */
  CHALLENGE_ACK,
  /** The reset reply to an offending segment (§3.10.7.1 formula); never a RST for a RST. */
  SEND_RST_REPLY,
  /** Abort: send <SEQ=SND.NXT><CTL=RST> (§3.10.5). */
  SEND_RST_ABORT,
  /** Queue user data for sending (§3.10.2). */
  QUEUE_DATA,
  /** Queue a FIN after the queued data (§3.10.4). */
  QUEUE_FIN,
  /** Tell the user the connection is established (connect/accept complete). */
  SIGNAL_ESTABLISHED,
  /** Tell the user "connection reset" (ECONNREFUSED before, ECONNRESET after establishment). */
  SIGNAL_RESET,
  /**
   * Tell the user the connection timed out (§3.8.3 R2): ETIMEDOUT, or the soft error an ICMP
   * message reported before (Linux tcp_write_err: sk_err_soft ?: ETIMEDOUT).
   */
  SIGNAL_TIMEOUT,
  /** Tell the user the hard error the ICMP message reported (ECONNREFUSED for port unreachable, §3.9.2.2). */
  SIGNAL_ICMP_ERROR,
  /** Arm the FIN-WAIT-2 timer if no socket refers to the connection any more (Linux tcp_fin_timeout). */
  START_FIN_WAIT_2_TIMER,
  /** Arm, or restart, the 2MSL timer (§3.10.7.4, Linux 60 s). */
  START_TIME_WAIT,
  /**
   * Delete the TCB: drop queues, cancel timers, release the four-tuple (the stack forgets the
   * connection here, nowhere else).
   */
  DELETE_TCB;

  /**
   * Whether this effect acts on the arriving segment, so that only arrival rows may list it: the
   * engine hands the effect handler a segment for arrivals only.
   */
  public boolean needsSegment() {
    return switch (this) {
      case RECORD_SYN, PROCESS_ACK, RECEIVE_TEXT, RECEIVE_FIN, SEND_OUT_OF_WINDOW_ACK, RESEND_SYN_ACK,
          SEND_RST_REPLY -> true;
      case CHOOSE_ISS, REOPEN, SEND_SYN, SEND_SYN_ACK, SEND_ACK, CHALLENGE_ACK, SEND_RST_ABORT, QUEUE_DATA,
          QUEUE_FIN, SIGNAL_ESTABLISHED, SIGNAL_RESET, SIGNAL_TIMEOUT, SIGNAL_ICMP_ERROR, START_FIN_WAIT_2_TIMER,
          START_TIME_WAIT, DELETE_TCB -> false;
    };
  }
}
