package org.tcpspec.fsm;

import static org.tcpspec.fsm.Action.*;
import static org.tcpspec.fsm.Effect.*;
import static org.tcpspec.fsm.Event.*;
import static org.tcpspec.fsm.Guard.ACTIVE;
import static org.tcpspec.fsm.Guard.FAST_OPEN;
import static org.tcpspec.fsm.Guard.PASSIVE;
import static org.tcpspec.fsm.State.*;

/**
 * The rows of RFC 9293 §3.10.7.4, "Otherwise": segment arrivals in the synchronized states
 * ({@link State#isSynchronized()}), one block per state, in the order of the RFC's checks within
 * each block: sequence number, RST (RFC 5961 §3.2: out of the window dropped, exactly at RCV.NXT
 * resets, elsewhere in the window challenged), SYN (RFC 5961 §4.2 challenge ACK), ACK bit off,
 * ACK (RFC 5961 §5.2: one older than SND.UNA - MAX.SND.WND is dropped with a challenge ACK, and
 * so is one of something not yet sent, as Linux's tcp_ack answers it with tcp_send_challenge_ack
 * under the same rate limit; TIME-WAIT answers that one with a plain ACK), text, FIN. spec/ACTIONS.md writes each family once as {@code SRcvX}; the model and this
 * table spell every member out.
 */
final class SynchronizedArrivalRows {
  private SynchronizedArrivalRows() {}

  static void write(TransitionTable.Rows t) {
    synReceived(t);
    established(t);
    finWait1(t);
    finWait2(t);
    closeWait(t);
    closing(t);
    lastAck(t);
    timeWait(t);
  }

  /**
   * SYN-RECEIVED: a RST at RCV.NXT or an in-window SYN returns a passive connection to LISTEN (the
   * stack then forgets the child); an active one (simultaneous open) is reset, or challenged. A
   * Fast Open one, whose user holds it already (RFC 7413 §4.2.2), is reset as an active one, and
   * keeps its state on a SYN, which Linux's tcp_check_req answers with a RST (so that a forged SYN
   * cannot reset it). The peer's SYN again is answered with the SYN-ACK again whenever we came from
   * LISTEN.
   */
  private static void synReceived(TransitionTable.Rows t) {
    t.row(SYN_RECEIVED, RCV_UNACCEPTABLE, SynReceivedRcvUnacceptable, "3.10.7.4", SYN_RECEIVED, SEND_OUT_OF_WINDOW_ACK);
    t.row(SYN_RECEIVED, RCV_RETRANSMITTED_SYN, PASSIVE, SynReceivedRcvUnacceptable, "3.10.7.4", SYN_RECEIVED,
        RESEND_SYN_ACK);
    t.row(SYN_RECEIVED, RCV_RETRANSMITTED_SYN, ACTIVE, SynReceivedRcvUnacceptable, "3.10.7.4", SYN_RECEIVED,
        SEND_OUT_OF_WINDOW_ACK);
    t.row(SYN_RECEIVED, RCV_RETRANSMITTED_SYN, FAST_OPEN, SynReceivedRcvUnacceptable, "3.10.7.4", SYN_RECEIVED,
        RESEND_SYN_ACK);
    t.row(SYN_RECEIVED, RCV_RST_OUT_OF_WINDOW, SynReceivedRcvRstOutOfWindow, "3.10.7.4", SYN_RECEIVED);
    t.row(SYN_RECEIVED, RCV_RST_EXACT, PASSIVE, SynReceivedRcvRstExact, "3.10.7.4", LISTEN, DELETE_TCB);
    t.row(SYN_RECEIVED, RCV_RST_EXACT, ACTIVE, SynReceivedRcvRstExact, "3.10.7.4", CLOSED, SIGNAL_RESET, DELETE_TCB);
    t.row(SYN_RECEIVED, RCV_RST_EXACT, FAST_OPEN, SynReceivedRcvRstExact, "3.10.7.4", CLOSED, SIGNAL_RESET, DELETE_TCB);
    t.row(SYN_RECEIVED, RCV_RST_IN_WINDOW, SynReceivedRcvRstInWindow, "3.10.7.4", SYN_RECEIVED, CHALLENGE_ACK);
    t.row(SYN_RECEIVED, RCV_SYN, PASSIVE, SynReceivedRcvSyn, "3.10.7.4", LISTEN, DELETE_TCB);
    t.row(SYN_RECEIVED, RCV_SYN, ACTIVE, SynReceivedRcvSyn, "3.10.7.4", SYN_RECEIVED, CHALLENGE_ACK);
    t.row(SYN_RECEIVED, RCV_SYN, FAST_OPEN, SynReceivedRcvSyn, "3.10.7.4", SYN_RECEIVED, SEND_RST_REPLY);
    t.row(SYN_RECEIVED, RCV_NO_ACK, SynReceivedRcvNoAck, "3.10.7.4", SYN_RECEIVED);
    // Fifth check in SYN-RECEIVED: SND.UNA < SEG.ACK =< SND.NXT establishes, any other ACK is reset.
    t.row(SYN_RECEIVED, RCV_ACK, SynReceivedRcvAck, "3.10.7.4", ESTABLISHED,
        PROCESS_ACK, SIGNAL_ESTABLISHED, RECEIVE_TEXT);
    t.row(SYN_RECEIVED, RCV_BAD_ACK, SynReceivedRcvBadAck, "3.10.7.4", SYN_RECEIVED, SEND_RST_REPLY);
    t.row(SYN_RECEIVED, RCV_FIN, SynReceivedRcvFin, "3.10.7.4", CLOSE_WAIT,
        PROCESS_ACK, SIGNAL_ESTABLISHED, RECEIVE_TEXT, RECEIVE_FIN);
  }

  /**
   * ESTABLISHED: a new ACK and a duplicate both go to the ACK processing (a duplicate still carries
   * window information and counts for fast retransmit); text is taken; a FIN closes the peer's side.
   */
  private static void established(TransitionTable.Rows t) {
    t.row(ESTABLISHED, RCV_UNACCEPTABLE, EstablishedRcvUnacceptable, "3.10.7.4", ESTABLISHED, SEND_OUT_OF_WINDOW_ACK);
    t.row(ESTABLISHED, RCV_RST_OUT_OF_WINDOW, EstablishedRcvRstOutOfWindow, "3.10.7.4", ESTABLISHED);
    t.row(ESTABLISHED, RCV_RST_EXACT, EstablishedRcvRstExact, "3.10.7.4", CLOSED, SIGNAL_RESET, DELETE_TCB);
    t.row(ESTABLISHED, RCV_RST_IN_WINDOW, EstablishedRcvRstInWindow, "3.10.7.4", ESTABLISHED, CHALLENGE_ACK);
    t.row(ESTABLISHED, RCV_SYN, EstablishedRcvSyn, "3.10.7.4", ESTABLISHED, CHALLENGE_ACK);
    t.row(ESTABLISHED, RCV_NO_ACK, EstablishedRcvNoAck, "3.10.7.4", ESTABLISHED);
    t.row(ESTABLISHED, RCV_ACK_TOO_OLD, EstablishedRcvAckTooOld, "3.10.7.4", ESTABLISHED, CHALLENGE_ACK);
    t.row(ESTABLISHED, RCV_ACK_AHEAD, EstablishedRcvAckAhead, "3.10.7.4", ESTABLISHED, CHALLENGE_ACK);
    t.row(ESTABLISHED, RCV_DUP_ACK, EstablishedRcvDupAck, "3.10.7.4", ESTABLISHED, PROCESS_ACK);
    t.row(ESTABLISHED, RCV_ACK, EstablishedRcvAck, "3.10.7.4", ESTABLISHED, PROCESS_ACK);
    t.row(ESTABLISHED, RCV_DATA, EstablishedRcvData, "3.10.7.4", ESTABLISHED, PROCESS_ACK, RECEIVE_TEXT);
    t.row(ESTABLISHED, RCV_FIN, EstablishedRcvFin, "3.10.7.4", CLOSE_WAIT, PROCESS_ACK, RECEIVE_TEXT, RECEIVE_FIN);
  }

  /**
   * FIN-WAIT-1: as ESTABLISHED, and an ACK covering our FIN moves on: to FIN-WAIT-2 alone, to
   * TIME-WAIT with the peer's FIN; the peer's FIN before that ACK is a simultaneous close (CLOSING).
   * Once the user's CLOSE ended its reading too, new text is answered with a RST (§3.6.1 SHLD-3),
   * here and in FIN-WAIT-2.
   */
  private static void finWait1(TransitionTable.Rows t) {
    t.row(FIN_WAIT_1, RCV_UNACCEPTABLE, FinWait1RcvUnacceptable, "3.10.7.4", FIN_WAIT_1, SEND_OUT_OF_WINDOW_ACK);
    t.row(FIN_WAIT_1, RCV_RST_OUT_OF_WINDOW, FinWait1RcvRstOutOfWindow, "3.10.7.4", FIN_WAIT_1);
    t.row(FIN_WAIT_1, RCV_RST_EXACT, FinWait1RcvRstExact, "3.10.7.4", CLOSED, SIGNAL_RESET, DELETE_TCB);
    t.row(FIN_WAIT_1, RCV_RST_IN_WINDOW, FinWait1RcvRstInWindow, "3.10.7.4", FIN_WAIT_1, CHALLENGE_ACK);
    t.row(FIN_WAIT_1, RCV_SYN, FinWait1RcvSyn, "3.10.7.4", FIN_WAIT_1, CHALLENGE_ACK);
    t.row(FIN_WAIT_1, RCV_NO_ACK, FinWait1RcvNoAck, "3.10.7.4", FIN_WAIT_1);
    t.row(FIN_WAIT_1, RCV_ACK_TOO_OLD, FinWait1RcvAckTooOld, "3.10.7.4", FIN_WAIT_1, CHALLENGE_ACK);
    t.row(FIN_WAIT_1, RCV_ACK_AHEAD, FinWait1RcvAckAhead, "3.10.7.4", FIN_WAIT_1, CHALLENGE_ACK);
    t.row(FIN_WAIT_1, RCV_DUP_ACK, FinWait1RcvDupAck, "3.10.7.4", FIN_WAIT_1, PROCESS_ACK);
    t.row(FIN_WAIT_1, RCV_ACK, FinWait1RcvAck, "3.10.7.4", FIN_WAIT_1, PROCESS_ACK);
    t.row(FIN_WAIT_1, RCV_ACK_OF_FIN, FinWait1RcvAckOfFin, "3.10.7.4", FIN_WAIT_2,
        PROCESS_ACK, RECEIVE_TEXT, START_FIN_WAIT_2_TIMER);
    t.row(FIN_WAIT_1, RCV_DATA, FinWait1RcvData, "3.10.7.4", FIN_WAIT_1, PROCESS_ACK, RECEIVE_TEXT);
    t.row(FIN_WAIT_1, RCV_DATA_AFTER_CLOSE, FinWait1RcvDataAfterClose, "3.6.1", CLOSED,
        SEND_RST_REPLY, SIGNAL_RESET, DELETE_TCB);
    t.row(FIN_WAIT_1, RCV_FIN, FinWait1RcvFin, "3.10.7.4", CLOSING, PROCESS_ACK, RECEIVE_TEXT, RECEIVE_FIN);
    t.row(FIN_WAIT_1, RCV_FIN_ACK_OF_FIN, FinWait1RcvFinAckOfFin, "3.10.7.4", TIME_WAIT,
        PROCESS_ACK, RECEIVE_TEXT, RECEIVE_FIN, START_TIME_WAIT);
  }

  /**
   * FIN-WAIT-2: our FIN is acknowledged; text is still taken, the peer's FIN leads to TIME-WAIT.
   * FinWait2RcvAck is a row of the model the classifier never yields (nothing is left to
   * acknowledge); {@code RowCoverageTest} holds that argument.
   */
  private static void finWait2(TransitionTable.Rows t) {
    t.row(FIN_WAIT_2, RCV_UNACCEPTABLE, FinWait2RcvUnacceptable, "3.10.7.4", FIN_WAIT_2, SEND_OUT_OF_WINDOW_ACK);
    t.row(FIN_WAIT_2, RCV_RST_OUT_OF_WINDOW, FinWait2RcvRstOutOfWindow, "3.10.7.4", FIN_WAIT_2);
    t.row(FIN_WAIT_2, RCV_RST_EXACT, FinWait2RcvRstExact, "3.10.7.4", CLOSED, SIGNAL_RESET, DELETE_TCB);
    t.row(FIN_WAIT_2, RCV_RST_IN_WINDOW, FinWait2RcvRstInWindow, "3.10.7.4", FIN_WAIT_2, CHALLENGE_ACK);
    t.row(FIN_WAIT_2, RCV_SYN, FinWait2RcvSyn, "3.10.7.4", FIN_WAIT_2, CHALLENGE_ACK);
    t.row(FIN_WAIT_2, RCV_NO_ACK, FinWait2RcvNoAck, "3.10.7.4", FIN_WAIT_2);
    t.row(FIN_WAIT_2, RCV_ACK_TOO_OLD, FinWait2RcvAckTooOld, "3.10.7.4", FIN_WAIT_2, CHALLENGE_ACK);
    t.row(FIN_WAIT_2, RCV_ACK_AHEAD, FinWait2RcvAckAhead, "3.10.7.4", FIN_WAIT_2, CHALLENGE_ACK);
    t.row(FIN_WAIT_2, RCV_DUP_ACK, FinWait2RcvDupAck, "3.10.7.4", FIN_WAIT_2, PROCESS_ACK);
    t.row(FIN_WAIT_2, RCV_ACK, FinWait2RcvAck, "3.10.7.4", FIN_WAIT_2, PROCESS_ACK);
    t.row(FIN_WAIT_2, RCV_DATA, FinWait2RcvData, "3.10.7.4", FIN_WAIT_2, PROCESS_ACK, RECEIVE_TEXT);
    t.row(FIN_WAIT_2, RCV_DATA_AFTER_CLOSE, FinWait2RcvDataAfterClose, "3.6.1", CLOSED,
        SEND_RST_REPLY, SIGNAL_RESET, DELETE_TCB);
    t.row(FIN_WAIT_2, RCV_FIN, FinWait2RcvFin, "3.10.7.4", TIME_WAIT,
        PROCESS_ACK, RECEIVE_TEXT, RECEIVE_FIN, START_TIME_WAIT);
  }

  /**
   * CLOSE-WAIT: the peer has closed its side; text after its FIN is ignored (seventh check), a
   * retransmitted FIN is ACKed again (eighth).
   */
  private static void closeWait(TransitionTable.Rows t) {
    t.row(CLOSE_WAIT, RCV_UNACCEPTABLE, CloseWaitRcvUnacceptable, "3.10.7.4", CLOSE_WAIT, SEND_OUT_OF_WINDOW_ACK);
    t.row(CLOSE_WAIT, RCV_RST_OUT_OF_WINDOW, CloseWaitRcvRstOutOfWindow, "3.10.7.4", CLOSE_WAIT);
    t.row(CLOSE_WAIT, RCV_RST_EXACT, CloseWaitRcvRstExact, "3.10.7.4", CLOSED, SIGNAL_RESET, DELETE_TCB);
    t.row(CLOSE_WAIT, RCV_RST_IN_WINDOW, CloseWaitRcvRstInWindow, "3.10.7.4", CLOSE_WAIT, CHALLENGE_ACK);
    t.row(CLOSE_WAIT, RCV_SYN, CloseWaitRcvSyn, "3.10.7.4", CLOSE_WAIT, CHALLENGE_ACK);
    t.row(CLOSE_WAIT, RCV_NO_ACK, CloseWaitRcvNoAck, "3.10.7.4", CLOSE_WAIT);
    t.row(CLOSE_WAIT, RCV_ACK_TOO_OLD, CloseWaitRcvAckTooOld, "3.10.7.4", CLOSE_WAIT, CHALLENGE_ACK);
    t.row(CLOSE_WAIT, RCV_ACK_AHEAD, CloseWaitRcvAckAhead, "3.10.7.4", CLOSE_WAIT, CHALLENGE_ACK);
    t.row(CLOSE_WAIT, RCV_DUP_ACK, CloseWaitRcvDupAck, "3.10.7.4", CLOSE_WAIT, PROCESS_ACK);
    t.row(CLOSE_WAIT, RCV_ACK, CloseWaitRcvAck, "3.10.7.4", CLOSE_WAIT, PROCESS_ACK);
    t.row(CLOSE_WAIT, RCV_DATA, CloseWaitRcvData, "3.10.7.4", CLOSE_WAIT, PROCESS_ACK);
    t.row(CLOSE_WAIT, RCV_FIN, CloseWaitRcvFin, "3.10.7.4", CLOSE_WAIT, PROCESS_ACK, SEND_ACK);
  }

  /**
   * CLOSING: both FINs crossed; the ACK of ours leads to TIME-WAIT. From here on the user has
   * closed: a RST at RCV.NXT enters CLOSED with no one to tell ("delete the TCB, and return").
   */
  private static void closing(TransitionTable.Rows t) {
    t.row(CLOSING, RCV_UNACCEPTABLE, ClosingRcvUnacceptable, "3.10.7.4", CLOSING, SEND_OUT_OF_WINDOW_ACK);
    t.row(CLOSING, RCV_RST_OUT_OF_WINDOW, ClosingRcvRstOutOfWindow, "3.10.7.4", CLOSING);
    t.row(CLOSING, RCV_RST_EXACT, ClosingRcvRstExact, "3.10.7.4", CLOSED, DELETE_TCB);
    t.row(CLOSING, RCV_RST_IN_WINDOW, ClosingRcvRstInWindow, "3.10.7.4", CLOSING, CHALLENGE_ACK);
    t.row(CLOSING, RCV_SYN, ClosingRcvSyn, "3.10.7.4", CLOSING, CHALLENGE_ACK);
    t.row(CLOSING, RCV_NO_ACK, ClosingRcvNoAck, "3.10.7.4", CLOSING);
    t.row(CLOSING, RCV_ACK_TOO_OLD, ClosingRcvAckTooOld, "3.10.7.4", CLOSING, CHALLENGE_ACK);
    t.row(CLOSING, RCV_ACK_AHEAD, ClosingRcvAckAhead, "3.10.7.4", CLOSING, CHALLENGE_ACK);
    t.row(CLOSING, RCV_DUP_ACK, ClosingRcvDupAck, "3.10.7.4", CLOSING, PROCESS_ACK);
    t.row(CLOSING, RCV_ACK, ClosingRcvAck, "3.10.7.4", CLOSING, PROCESS_ACK);
    t.row(CLOSING, RCV_ACK_OF_FIN, ClosingRcvAckOfFin, "3.10.7.4", TIME_WAIT, PROCESS_ACK, START_TIME_WAIT);
    t.row(CLOSING, RCV_DATA, ClosingRcvData, "3.10.7.4", CLOSING, PROCESS_ACK);
    t.row(CLOSING, RCV_FIN, ClosingRcvFin, "3.10.7.4", CLOSING, PROCESS_ACK, SEND_ACK);
  }

  /** LAST-ACK: the ACK of our FIN ends the connection. */
  private static void lastAck(TransitionTable.Rows t) {
    t.row(LAST_ACK, RCV_UNACCEPTABLE, LastAckRcvUnacceptable, "3.10.7.4", LAST_ACK, SEND_OUT_OF_WINDOW_ACK);
    t.row(LAST_ACK, RCV_RST_OUT_OF_WINDOW, LastAckRcvRstOutOfWindow, "3.10.7.4", LAST_ACK);
    t.row(LAST_ACK, RCV_RST_EXACT, LastAckRcvRstExact, "3.10.7.4", CLOSED, DELETE_TCB);
    t.row(LAST_ACK, RCV_RST_IN_WINDOW, LastAckRcvRstInWindow, "3.10.7.4", LAST_ACK, CHALLENGE_ACK);
    t.row(LAST_ACK, RCV_SYN, LastAckRcvSyn, "3.10.7.4", LAST_ACK, CHALLENGE_ACK);
    t.row(LAST_ACK, RCV_NO_ACK, LastAckRcvNoAck, "3.10.7.4", LAST_ACK);
    t.row(LAST_ACK, RCV_ACK_TOO_OLD, LastAckRcvAckTooOld, "3.10.7.4", LAST_ACK, CHALLENGE_ACK);
    t.row(LAST_ACK, RCV_ACK_AHEAD, LastAckRcvAckAhead, "3.10.7.4", LAST_ACK, CHALLENGE_ACK);
    t.row(LAST_ACK, RCV_DUP_ACK, LastAckRcvDupAck, "3.10.7.4", LAST_ACK, PROCESS_ACK);
    t.row(LAST_ACK, RCV_ACK, LastAckRcvAck, "3.10.7.4", LAST_ACK, PROCESS_ACK);
    t.row(LAST_ACK, RCV_ACK_OF_FIN, LastAckRcvAckOfFin, "3.10.7.4", CLOSED, PROCESS_ACK, DELETE_TCB);
    t.row(LAST_ACK, RCV_DATA, LastAckRcvData, "3.10.7.4", LAST_ACK, PROCESS_ACK);
    t.row(LAST_ACK, RCV_FIN, LastAckRcvFin, "3.10.7.4", LAST_ACK, PROCESS_ACK, SEND_ACK);
  }

  /**
   * TIME-WAIT: a retransmitted FIN is ACKed and restarts 2MSL (eighth check); a new SYN may reopen
   * the connection (§3.6.1 MAY-2, RFC 1122 §4.2.2.13, RFC 6191, as Linux). TimeWaitRcvAck is a
   * model row the classifier never yields, as FinWait2RcvAck.
   */
  private static void timeWait(TransitionTable.Rows t) {
    t.row(TIME_WAIT, RCV_UNACCEPTABLE, TimeWaitRcvUnacceptable, "3.10.7.4", TIME_WAIT, SEND_OUT_OF_WINDOW_ACK);
    t.row(TIME_WAIT, RCV_RST_OUT_OF_WINDOW, TimeWaitRcvRstOutOfWindow, "3.10.7.4", TIME_WAIT);
    t.row(TIME_WAIT, RCV_RST_EXACT, TimeWaitRcvRstExact, "3.10.7.4", CLOSED, DELETE_TCB);
    t.row(TIME_WAIT, RCV_RST_IN_WINDOW, TimeWaitRcvRstInWindow, "3.10.7.4", TIME_WAIT, CHALLENGE_ACK);
    t.row(TIME_WAIT, RCV_SYN, TimeWaitRcvSyn, "3.10.7.4", TIME_WAIT, CHALLENGE_ACK);
    t.row(TIME_WAIT, RCV_NEW_SYN, TimeWaitRcvNewSyn, "3.6.1", SYN_RECEIVED, REOPEN, RECORD_SYN, SEND_SYN_ACK);
    t.row(TIME_WAIT, RCV_NO_ACK, TimeWaitRcvNoAck, "3.10.7.4", TIME_WAIT);
    t.row(TIME_WAIT, RCV_ACK_TOO_OLD, TimeWaitRcvAckTooOld, "3.10.7.4", TIME_WAIT, CHALLENGE_ACK);
    t.row(TIME_WAIT, RCV_ACK_AHEAD, TimeWaitRcvAckAhead, "3.10.7.4", TIME_WAIT, SEND_ACK);
    t.row(TIME_WAIT, RCV_DUP_ACK, TimeWaitRcvDupAck, "3.10.7.4", TIME_WAIT, PROCESS_ACK);
    t.row(TIME_WAIT, RCV_ACK, TimeWaitRcvAck, "3.10.7.4", TIME_WAIT, PROCESS_ACK);
    t.row(TIME_WAIT, RCV_DATA, TimeWaitRcvData, "3.10.7.4", TIME_WAIT, PROCESS_ACK);
    t.row(TIME_WAIT, RCV_FIN, TimeWaitRcvFin, "3.10.7.4", TIME_WAIT, SEND_ACK, START_TIME_WAIT);
  }
}
