package org.tcpspec.fsm;

/**
 * The actions of spec/TcpEndpoint.tla, each spelled exactly as the TLA+ action (and as
 * spec/ACTIONS.md, which writes the synchronized-state families as {@code SRcvX}): user calls in
 * UPPER_SNAKE, arrivals {@code <State>Rcv<Kind>}, timers {@code <State>Timeout}. Every row of the
 * {@link TransitionTable} names one, the engine writes its {@link #name()} into each trace record,
 * and {@code ActionTest} holds this list equal to the actions of TLC's state graph and of
 * ACTIONS.md. Grouped as the table is: user calls, timers, then arrivals state by state.
 */
public enum Action {
  // User calls, RFC 9293 §3.10.1 – §3.10.5.
  PASSIVE_OPEN,
  ACTIVE_OPEN,
  // RFC 7413 §3, §4.2: an active OPEN whose SYN carries data (or requests a Fast Open cookie).
  ACTIVE_OPEN_FAST_OPEN,
  SEND,
  CLOSE_LISTEN,
  CLOSE_SYN_SENT,
  CLOSE_SYN_RECEIVED,
  CLOSE_ESTABLISHED,
  CLOSE_CLOSE_WAIT,
  ABORT,

  // Timers that give up: SYN and SYN-ACK retries, R2 (§3.8.3), keep-alive in FIN-WAIT-2 (§3.8.4);
  // timers that end a closing connection: FIN-WAIT-2 of an orphan (Linux), 2MSL (§3.10.8).
  SynSentTimeout,
  SynReceivedTimeout,
  EstablishedTimeout,
  FinWait1Timeout,
  FinWait2Timeout,
  // §3.8.4: keep-alive gives up in FIN-WAIT-2 while the user holds the socket (Linux tcp_keepalive_timer).
  FinWait2KeepaliveTimeout,
  CloseWaitTimeout,
  ClosingTimeout,
  LastAckTimeout,
  TimeWaitTimeout,

  // Arrivals in CLOSED, §3.10.7.1.
  ClosedRcvRst,
  ClosedRcvSegment,

  // Arrivals in LISTEN, §3.10.7.2.
  ListenRcvRst,
  ListenRcvAck,
  ListenRcvSyn,
  // RFC 7413 §4.2.2: a SYN whose text the listener accepts (valid cookie, or no-cookie mode).
  ListenRcvSynFastOpen,
  ListenRcvOther,

  // Arrivals in SYN-SENT, §3.10.7.3 (RFC 5961 §3 for the RST).
  SynSentRcvBadAck,
  SynSentRcvRst,
  SynSentRcvRstNoAck,
  SynSentRcvSynAck,
  // A SYN-ACK carrying a FIN: §3.10.7.3 fourth check, then §3.10.7.4's eighth step, to CLOSE-WAIT.
  SynSentRcvSynAckFin,
  SynSentRcvSyn,
  SynSentRcvOther,
  // RFC 9293 §3.9.2.2 SHLD-26: an ICMP hard error about our SYN ends the attempt (Linux tcp_v4_err).
  SynSentRcvIcmpHardError,

  // Arrivals in SYN-RECEIVED, §3.10.7.4 (RFC 5961 §3.2 RST, §4.2 SYN).
  SynReceivedRcvUnacceptable,
  SynReceivedRcvRstOutOfWindow,
  SynReceivedRcvRstExact,
  SynReceivedRcvRstInWindow,
  SynReceivedRcvSyn,
  SynReceivedRcvNoAck,
  SynReceivedRcvAck,
  SynReceivedRcvBadAck,
  SynReceivedRcvFin,

  // Arrivals in ESTABLISHED, §3.10.7.4.
  EstablishedRcvUnacceptable,
  EstablishedRcvRstOutOfWindow,
  EstablishedRcvRstExact,
  EstablishedRcvRstInWindow,
  EstablishedRcvSyn,
  EstablishedRcvNoAck,
  EstablishedRcvAckTooOld,
  EstablishedRcvAckAhead,
  EstablishedRcvDupAck,
  EstablishedRcvAck,
  EstablishedRcvData,
  EstablishedRcvFin,

  // Arrivals in FIN-WAIT-1, §3.10.7.4.
  FinWait1RcvUnacceptable,
  FinWait1RcvRstOutOfWindow,
  FinWait1RcvRstExact,
  FinWait1RcvRstInWindow,
  FinWait1RcvSyn,
  FinWait1RcvNoAck,
  FinWait1RcvAckTooOld,
  FinWait1RcvAckAhead,
  FinWait1RcvDupAck,
  FinWait1RcvAck,
  FinWait1RcvAckOfFin,
  FinWait1RcvData,
  FinWait1RcvDataAfterClose,
  FinWait1RcvFin,
  FinWait1RcvFinAckOfFin,

  // Arrivals in FIN-WAIT-2, §3.10.7.4.
  FinWait2RcvUnacceptable,
  FinWait2RcvRstOutOfWindow,
  FinWait2RcvRstExact,
  FinWait2RcvRstInWindow,
  FinWait2RcvSyn,
  FinWait2RcvNoAck,
  FinWait2RcvAckTooOld,
  FinWait2RcvAckAhead,
  FinWait2RcvDupAck,
  FinWait2RcvAck,
  FinWait2RcvData,
  FinWait2RcvDataAfterClose,
  FinWait2RcvFin,

  // Arrivals in CLOSE-WAIT, §3.10.7.4.
  CloseWaitRcvUnacceptable,
  CloseWaitRcvRstOutOfWindow,
  CloseWaitRcvRstExact,
  CloseWaitRcvRstInWindow,
  CloseWaitRcvSyn,
  CloseWaitRcvNoAck,
  CloseWaitRcvAckTooOld,
  CloseWaitRcvAckAhead,
  CloseWaitRcvDupAck,
  CloseWaitRcvAck,
  CloseWaitRcvData,
  CloseWaitRcvFin,

  // Arrivals in CLOSING, §3.10.7.4.
  ClosingRcvUnacceptable,
  ClosingRcvRstOutOfWindow,
  ClosingRcvRstExact,
  ClosingRcvRstInWindow,
  ClosingRcvSyn,
  ClosingRcvNoAck,
  ClosingRcvAckTooOld,
  ClosingRcvAckAhead,
  ClosingRcvDupAck,
  ClosingRcvAck,
  ClosingRcvAckOfFin,
  ClosingRcvData,
  ClosingRcvFin,

  // Arrivals in LAST-ACK, §3.10.7.4.
  LastAckRcvUnacceptable,
  LastAckRcvRstOutOfWindow,
  LastAckRcvRstExact,
  LastAckRcvRstInWindow,
  LastAckRcvSyn,
  LastAckRcvNoAck,
  LastAckRcvAckTooOld,
  LastAckRcvAckAhead,
  LastAckRcvDupAck,
  LastAckRcvAck,
  LastAckRcvAckOfFin,
  LastAckRcvData,
  LastAckRcvFin,

  // Arrivals in TIME-WAIT, §3.10.7.4 (§3.6.1 MAY-2 and RFC 6191 for the new SYN).
  TimeWaitRcvUnacceptable,
  TimeWaitRcvRstOutOfWindow,
  TimeWaitRcvRstExact,
  TimeWaitRcvRstInWindow,
  TimeWaitRcvSyn,
  TimeWaitRcvNewSyn,
  TimeWaitRcvNoAck,
  TimeWaitRcvAckTooOld,
  TimeWaitRcvAckAhead,
  TimeWaitRcvDupAck,
  TimeWaitRcvAck,
  TimeWaitRcvData,
  TimeWaitRcvFin
}
