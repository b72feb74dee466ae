package org.tcpspec.fsm;

/**
 * The abstract inputs the table is keyed on: user calls (RFC 9293 §3.10.1–§3.10.6), the timers
 * that end a state (a give-up, or the quiet end of FIN-WAIT-2 and TIME-WAIT), and the arrival
 * kinds the {@link Classifier} distinguishes (§3.10.7).
 * A concrete segment maps to exactly one arrival kind.
 */
public enum Event {
  // User calls.
  PASSIVE_OPEN(Kind.USER),
  ACTIVE_OPEN(Kind.USER),
  // RFC 7413 §3: connect with data, sendto(MSG_FASTOPEN) or TCP_FASTOPEN_CONNECT then write.
  ACTIVE_OPEN_FAST_OPEN(Kind.USER),
  SEND(Kind.USER),
  CLOSE(Kind.USER),
  ABORT(Kind.USER),
  // A timer gave up on the peer (SYN retries, R2 of §3.8.3, zero-window probes, keep-alive): the
  // user is told (ETIMEDOUT). TcpSystem.tla's GiveUp.
  TIMEOUT(Kind.TIMER),
  // A closing connection's time is up, nobody to tell: an orphaned FIN-WAIT-2 (Linux
  // tcp_fin_timeout) and TIME-WAIT (2MSL, §3.10.8). TcpSystem.tla's CloseTimeout.
  CLOSE_TIMEOUT(Kind.TIMER),
  // Arrivals in CLOSED and LISTEN.
  RCV_RST(Kind.ARRIVAL),
  RCV_SEGMENT(Kind.ARRIVAL),
  RCV_ACK(Kind.ARRIVAL),
  RCV_SYN(Kind.ARRIVAL),
  RCV_OTHER(Kind.ARRIVAL),
  // In LISTEN: a SYN with text and a cookie the listener accepts, or its no-cookie mode (RFC 7413
  // §4.2.2). The classifier yields RCV_SYN for every SYN; the stack, which holds the cookie key,
  // refines it to this.
  RCV_SYN_FAST_OPEN(Kind.ARRIVAL),
  // Arrivals in SYN-SENT.
  RCV_BAD_ACK(Kind.ARRIVAL),
  RCV_RST_NO_ACK(Kind.ARRIVAL),
  RCV_SYN_ACK(Kind.ARRIVAL),
  // A SYN-ACK with an acceptable ACK that carries a FIN too (§3.10.7.3 fourth, then the eighth step).
  RCV_SYN_ACK_FIN(Kind.ARRIVAL),
  // Arrivals in synchronized states.
  RCV_UNACCEPTABLE(Kind.ARRIVAL),
  // In SYN-RECEIVED: the peer's SYN again (SEG.SEQ = IRS), which fails the sequence check too.
  RCV_RETRANSMITTED_SYN(Kind.ARRIVAL),
  RCV_RST_OUT_OF_WINDOW(Kind.ARRIVAL),
  RCV_RST_EXACT(Kind.ARRIVAL),
  RCV_RST_IN_WINDOW(Kind.ARRIVAL),
  RCV_NO_ACK(Kind.ARRIVAL),
  RCV_ACK_AHEAD(Kind.ARRIVAL),
  // RFC 5961 §5.2: SEG.ACK below SND.UNA - MAX.SND.WND, an ACK no segment of this connection carried.
  RCV_ACK_TOO_OLD(Kind.ARRIVAL),
  RCV_DUP_ACK(Kind.ARRIVAL),
  RCV_ACK_OF_FIN(Kind.ARRIVAL),
  RCV_DATA(Kind.ARRIVAL),
  RCV_FIN(Kind.ARRIVAL),
  RCV_FIN_ACK_OF_FIN(Kind.ARRIVAL),
  // In FIN-WAIT-1/2 after the user's CLOSE ended its reading too: text beyond RCV.NXT (§3.6.1 SHLD-3).
  RCV_DATA_AFTER_CLOSE(Kind.ARRIVAL),
  // In TIME-WAIT: a SYN that may reopen the connection (§3.6.1 MAY-2, RFC 6191).
  RCV_NEW_SYN(Kind.ARRIVAL),
  // An ICMP or ICMPv6 hard error about the connection's segments (§3.9.2.2 SHLD-26: Destination
  // Unreachable, protocol or port). The stack fires it in SYN-SENT only; soft errors, and hard ones
  // on a connection past SYN-SENT, change no state (Linux's tcp_v4_err only reports them).
  RCV_ICMP_HARD_ERROR(Kind.ICMP);

  /**
   * Where an event comes from: the user, a timer, a segment (the classifier's kinds), or an ICMP
   * error message about the connection (no segment: no row of this kind may act on one).
   */
  public enum Kind { USER, TIMER, ARRIVAL, ICMP }

  private final Kind kind;

  Event(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
