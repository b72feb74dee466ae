--------------------------- MODULE TcpEndpoint ---------------------------
(***************************************************************************)
(* One TCP endpoint's connection state machine, RFC 9293 §3.3.2 and the   *)
(* event processing of §3.10.                                              *)
(*                                                                         *)
(* Every action is one (state before, event, state after) arrow of the     *)
(* Java transition table, under the name spec/ACTIONS.md gives it.  The    *)
(* segment arrivals are the abstract kinds the Java classifier tells       *)
(* apart, in the order of RFC 9293 §3.10.7 (sequence check, RST, SYN, ACK, *)
(* data, FIN); the sequence arithmetic that decides the kind is abstracted *)
(* away here and modelled in TcpSystem.tla.                                *)
(*                                                                         *)
(* Each action is written `Name == guard /\ Go(to, "Name")`: TLC labels an *)
(* edge of its state graph with the operator whose body it evaluated, so   *)
(* the guard must be inline for the label to be the action's own name.     *)
(***************************************************************************)

VARIABLES
    state,    \* the RFC 9293 §3.3.2 state, as the RFC spells it
    passive,  \* TRUE iff the connection came from LISTEN (§3.10.7.4 "passive OPEN")
    fastOpen, \* TRUE iff this SYN-RECEIVED connection took text from the peer's SYN (RFC 7413
              \* §4.2.2): its user holds it already, so it cannot quietly return to LISTEN
    last      \* name of the action that produced this state: every step then changes the
              \* state, so TLC's -dump dot records self-loop arrows such as SEND too

vars == <<state, passive, fastOpen, last>>

States == {"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
           "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK",
           "TIME-WAIT"}

\* §3.3.2: the states in which both sequence spaces are synchronized, plus SYN-RECEIVED,
\* which §3.10.7.4 handles with them ("Otherwise" branch of SEGMENT ARRIVES).
Synchronized == States \ {"CLOSED", "LISTEN", "SYN-SENT"}

\* The action names of spec/ACTIONS.md; `last` ranges over them (and "Init").
ActionNames == {
    "PASSIVE_OPEN", "ACTIVE_OPEN", "ACTIVE_OPEN_FAST_OPEN", "SEND", "CLOSE_LISTEN", "CLOSE_SYN_SENT",
    "CLOSE_SYN_RECEIVED", "CLOSE_ESTABLISHED", "CLOSE_CLOSE_WAIT", "ABORT",
    "SynSentTimeout", "SynReceivedTimeout", "EstablishedTimeout", "FinWait1Timeout",
    "CloseWaitTimeout", "ClosingTimeout", "LastAckTimeout", "FinWait2Timeout",
    "FinWait2KeepaliveTimeout", "TimeWaitTimeout",
    "ClosedRcvRst", "ClosedRcvSegment",
    "ListenRcvRst", "ListenRcvAck", "ListenRcvSyn", "ListenRcvSynFastOpen", "ListenRcvOther",
    "SynSentRcvBadAck", "SynSentRcvRst", "SynSentRcvRstNoAck", "SynSentRcvSynAck",
    "SynSentRcvSynAckFin", "SynSentRcvSyn", "SynSentRcvOther", "SynSentRcvIcmpHardError",
    "SynReceivedRcvUnacceptable", "EstablishedRcvUnacceptable", "FinWait1RcvUnacceptable",
    "FinWait2RcvUnacceptable", "CloseWaitRcvUnacceptable", "ClosingRcvUnacceptable",
    "LastAckRcvUnacceptable", "TimeWaitRcvUnacceptable",
    "SynReceivedRcvRstOutOfWindow", "EstablishedRcvRstOutOfWindow",
    "FinWait1RcvRstOutOfWindow", "FinWait2RcvRstOutOfWindow", "CloseWaitRcvRstOutOfWindow",
    "ClosingRcvRstOutOfWindow", "LastAckRcvRstOutOfWindow", "TimeWaitRcvRstOutOfWindow",
    "SynReceivedRcvRstExact", "EstablishedRcvRstExact", "FinWait1RcvRstExact",
    "FinWait2RcvRstExact", "CloseWaitRcvRstExact", "ClosingRcvRstExact",
    "LastAckRcvRstExact", "TimeWaitRcvRstExact",
    "SynReceivedRcvRstInWindow", "EstablishedRcvRstInWindow", "FinWait1RcvRstInWindow",
    "FinWait2RcvRstInWindow", "CloseWaitRcvRstInWindow", "ClosingRcvRstInWindow",
    "LastAckRcvRstInWindow", "TimeWaitRcvRstInWindow",
    "SynReceivedRcvSyn", "EstablishedRcvSyn", "FinWait1RcvSyn", "FinWait2RcvSyn",
    "CloseWaitRcvSyn", "ClosingRcvSyn", "LastAckRcvSyn", "TimeWaitRcvSyn", "TimeWaitRcvNewSyn",
    "SynReceivedRcvNoAck", "EstablishedRcvNoAck", "FinWait1RcvNoAck", "FinWait2RcvNoAck",
    "CloseWaitRcvNoAck", "ClosingRcvNoAck", "LastAckRcvNoAck", "TimeWaitRcvNoAck",
    "SynReceivedRcvAck", "SynReceivedRcvBadAck", "SynReceivedRcvFin",
    "EstablishedRcvAckAhead", "FinWait1RcvAckAhead", "FinWait2RcvAckAhead",
    "CloseWaitRcvAckAhead", "ClosingRcvAckAhead", "LastAckRcvAckAhead", "TimeWaitRcvAckAhead",
    "EstablishedRcvAckTooOld", "FinWait1RcvAckTooOld", "FinWait2RcvAckTooOld",
    "CloseWaitRcvAckTooOld", "ClosingRcvAckTooOld", "LastAckRcvAckTooOld", "TimeWaitRcvAckTooOld",
    "EstablishedRcvDupAck", "FinWait1RcvDupAck", "FinWait2RcvDupAck", "CloseWaitRcvDupAck",
    "ClosingRcvDupAck", "LastAckRcvDupAck", "TimeWaitRcvDupAck",
    "EstablishedRcvAck", "FinWait1RcvAck", "FinWait2RcvAck", "CloseWaitRcvAck",
    "ClosingRcvAck", "LastAckRcvAck", "TimeWaitRcvAck",
    "FinWait1RcvAckOfFin", "ClosingRcvAckOfFin", "LastAckRcvAckOfFin",
    "EstablishedRcvData", "FinWait1RcvData", "FinWait2RcvData", "CloseWaitRcvData",
    "ClosingRcvData", "LastAckRcvData", "TimeWaitRcvData",
    "FinWait1RcvDataAfterClose", "FinWait2RcvDataAfterClose",
    "EstablishedRcvFin", "FinWait1RcvFin", "FinWait1RcvFinAckOfFin", "FinWait2RcvFin",
    "CloseWaitRcvFin", "ClosingRcvFin", "LastAckRcvFin", "TimeWaitRcvFin"}

TypeOK ==
    /\ state \in States
    /\ passive \in BOOLEAN
    /\ fastOpen \in BOOLEAN
    /\ last \in ActionNames \cup {"Init"}

\* Whether the connection took text from the peer's SYN matters only while it is SYN-RECEIVED
\* (afterwards it is an ordinary connection): the flag is dropped on leaving that state, so
\* that it doubles no other state of the graph.
KeepFastOpen(to) == fastOpen' = (fastOpen /\ to = "SYN-RECEIVED")

\* The step every action ends with: enter `to`, remember the action's name.
Go(to, name) == state' = to /\ last' = name /\ UNCHANGED passive /\ KeepFastOpen(to)

\* Where a SYN-RECEIVED connection goes when it is reset or times out (§3.10.7.4 first,
\* "If this connection was initiated with a passive OPEN ... return to LISTEN"; the RFC adds
\* "The user need not be informed"). A Fast Open connection was handed to its user with the
\* SYN's text (RFC 7413 §4.2.2, Linux's accept() returns it in SYN-RECEIVED), so, as an active
\* one, it is reset to CLOSED and the user told (Linux tcp_check_req: a RST on a Fast Open
\* request calls tcp_reset; tcp_fastopen_synack_timer gives up with tcp_write_err).
SynReceivedFallback == IF passive /\ ~fastOpen THEN "LISTEN" ELSE "CLOSED"

Init == state = "CLOSED" /\ passive = FALSE /\ fastOpen = FALSE /\ last = "Init"

(***************************************************************************)
(* User calls, RFC 9293 §3.10.1 - §3.10.5.                                 *)
(***************************************************************************)
\* §3.10.1 OPEN, passive: create the TCB and wait in LISTEN.
PASSIVE_OPEN ==
    state = "CLOSED" /\ state' = "LISTEN" /\ passive' = TRUE /\ fastOpen' = FALSE /\ last' = "PASSIVE_OPEN"
\* §3.10.1 OPEN, active: send <SYN>, enter SYN-SENT.
ACTIVE_OPEN ==
    state = "CLOSED" /\ state' = "SYN-SENT" /\ passive' = FALSE /\ fastOpen' = FALSE /\ last' = "ACTIVE_OPEN"
\* RFC 7413 §3, §4.2: an active OPEN that carries data (sendto(MSG_FASTOPEN), or
\* TCP_FASTOPEN_CONNECT then write): send <SYN> with the data when a cookie is cached (or the
\* no-cookie mode is on), else <SYN> with a cookie request, the data waiting for ESTABLISHED.
\* The same arrow as ACTIVE_OPEN then SEND; SynSentRcvSynAck covers a SYN-ACK that acknowledges
\* the data and one that acknowledges only the SYN (the data is retransmitted, RFC 7413 §4.2.2).
ACTIVE_OPEN_FAST_OPEN ==
    /\ state = "CLOSED" /\ state' = "SYN-SENT" /\ passive' = FALSE /\ fastOpen' = FALSE
    /\ last' = "ACTIVE_OPEN_FAST_OPEN"
\* §3.10.2 SEND: queue (SYN-SENT, SYN-RECEIVED) or segmentize (ESTABLISHED, CLOSE-WAIT) data.
SEND == state \in {"SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT"} /\ Go(state, "SEND")
\* §3.10.4 CLOSE in LISTEN: any outstanding RECEIVEs fail, delete the TCB.
CLOSE_LISTEN == state = "LISTEN" /\ Go("CLOSED", "CLOSE_LISTEN")
\* §3.10.4 CLOSE in SYN-SENT: delete the TCB.
CLOSE_SYN_SENT == state = "SYN-SENT" /\ Go("CLOSED", "CLOSE_SYN_SENT")
\* §3.10.4 CLOSE in SYN-RECEIVED: no data queued, form a FIN and enter FIN-WAIT-1.
CLOSE_SYN_RECEIVED == state = "SYN-RECEIVED" /\ Go("FIN-WAIT-1", "CLOSE_SYN_RECEIVED")
\* §3.10.4 CLOSE in ESTABLISHED: send FIN after queued data, enter FIN-WAIT-1.
CLOSE_ESTABLISHED == state = "ESTABLISHED" /\ Go("FIN-WAIT-1", "CLOSE_ESTABLISHED")
\* §3.10.4 CLOSE in CLOSE-WAIT: send FIN, enter LAST-ACK (RFC 9293 goes via CLOSING's
\* description; LAST-ACK is the state of §3.3.2's diagram).
CLOSE_CLOSE_WAIT == state = "CLOSE-WAIT" /\ Go("LAST-ACK", "CLOSE_CLOSE_WAIT")
\* §3.10.5 ABORT: every state but CLOSED deletes the TCB (sending RST where synchronized).
ABORT == state # "CLOSED" /\ Go("CLOSED", "ABORT")

(***************************************************************************)
(* Timeouts, RFC 9293 §3.10.8, §3.8.3 (R2: retransmission gives up) and  *)
(* §3.8.4 (keep-alive gives up).                                           *)
(***************************************************************************)
\* §3.8.3 R2 for the SYN (R2 for SYN segments, at least 3 minutes): give up the open.
SynSentTimeout == state = "SYN-SENT" /\ Go("CLOSED", "SynSentTimeout")
\* §3.8.3 R2 for the SYN-ACK; a passive connection returns to LISTEN, as on RST (§3.10.7.4).
SynReceivedTimeout == state = "SYN-RECEIVED" /\ Go(SynReceivedFallback, "SynReceivedTimeout")
\* §3.10.8 USER/R2 timeout: flush queues, delete the TCB.
EstablishedTimeout == state = "ESTABLISHED" /\ Go("CLOSED", "EstablishedTimeout")
\* §3.10.8 USER/R2 timeout.
FinWait1Timeout == state = "FIN-WAIT-1" /\ Go("CLOSED", "FinWait1Timeout")
\* §3.10.8 USER/R2 timeout.
CloseWaitTimeout == state = "CLOSE-WAIT" /\ Go("CLOSED", "CloseWaitTimeout")
\* §3.10.8 USER/R2 timeout.
ClosingTimeout == state = "CLOSING" /\ Go("CLOSED", "ClosingTimeout")
\* §3.10.8 USER/R2 timeout.
LastAckTimeout == state = "LAST-ACK" /\ Go("CLOSED", "LastAckTimeout")
\* Not in RFC 9293: Linux's tcp_fin_timeout bounds FIN-WAIT-2 of an orphaned socket, one no user
\* holds any more (the RFC's §3.6 allows waiting forever for a peer that never closes).
FinWait2Timeout == state = "FIN-WAIT-2" /\ Go("CLOSED", "FinWait2Timeout")
\* §3.8.4 keep-alive gives up (as Linux's tcp_keepalive_timer for a FIN-WAIT-2 socket its user
\* still holds, after shutdown(SHUT_WR)): send a RST, tell the user "connection timed out",
\* delete the TCB. The only timer that can give up here: everything we sent is acknowledged.
FinWait2KeepaliveTimeout == state = "FIN-WAIT-2" /\ Go("CLOSED", "FinWait2KeepaliveTimeout")
\* §3.10.8 time-wait timeout (2 MSL): delete the TCB.
TimeWaitTimeout == state = "TIME-WAIT" /\ Go("CLOSED", "TimeWaitTimeout")

(***************************************************************************)
(* §3.10.7.1 SEGMENT ARRIVES in CLOSED; §3.10.7.2 in LISTEN.               *)
(***************************************************************************)
\* §3.10.7.1: an incoming RST is discarded.
ClosedRcvRst == state = "CLOSED" /\ Go("CLOSED", "ClosedRcvRst")
\* §3.10.7.1: any other segment is answered with a RST.
ClosedRcvSegment == state = "CLOSED" /\ Go("CLOSED", "ClosedRcvSegment")
\* §3.10.7.2 first: an incoming RST is ignored.
ListenRcvRst == state = "LISTEN" /\ Go("LISTEN", "ListenRcvRst")
\* §3.10.7.2 second: an ACK is bad, send <SEQ=SEG.ACK><CTL=RST>.
ListenRcvAck == state = "LISTEN" /\ Go("LISTEN", "ListenRcvAck")
\* §3.10.7.2 third: a SYN sets RCV.NXT, IRS, sends <SYN,ACK>, enters SYN-RECEIVED.
ListenRcvSyn == state = "LISTEN" /\ Go("SYN-RECEIVED", "ListenRcvSyn")
\* RFC 7413 §4.2.2: a SYN with text and a cookie the listener accepts (or its no-cookie mode):
\* as ListenRcvSyn, and the text is accepted, deliverable in SYN-RECEIVED, and acknowledged by
\* the SYN-ACK. A SYN whose cookie is invalid or absent is ListenRcvSyn: its text is dropped.
ListenRcvSynFastOpen ==
    /\ state = "LISTEN" /\ state' = "SYN-RECEIVED" /\ UNCHANGED passive /\ fastOpen' = TRUE
    /\ last' = "ListenRcvSynFastOpen"
\* §3.10.7.2 fourth: any other control or text-bearing segment is dropped.
ListenRcvOther == state = "LISTEN" /\ Go("LISTEN", "ListenRcvOther")

(***************************************************************************)
(* §3.10.7.3 SEGMENT ARRIVES in SYN-SENT, with RFC 5961 §3 for the RST.   *)
(***************************************************************************)
\* §3.10.7.3 first: SEG.ACK =< ISS or > SND.NXT: send a RST (unless RST), drop.
SynSentRcvBadAck == state = "SYN-SENT" /\ Go("SYN-SENT", "SynSentRcvBadAck")
\* §3.10.7.3 second: RST with an acceptable ACK: "error: connection reset", CLOSED.
SynSentRcvRst == state = "SYN-SENT" /\ Go("CLOSED", "SynSentRcvRst")
\* §3.10.7.3 second: RST without ACK is dropped.
SynSentRcvRstNoAck == state = "SYN-SENT" /\ Go("SYN-SENT", "SynSentRcvRstNoAck")
\* §3.10.7.3 fourth: SYN whose ACK acknowledges our SYN: send ACK, ESTABLISHED.
SynSentRcvSynAck == state = "SYN-SENT" /\ Go("ESTABLISHED", "SynSentRcvSynAck")
\* §3.10.7.3 fourth: the same SYN-ACK carrying a FIN. ESTABLISHED, then "continue processing at
\* the sixth step below": its text is taken and the eighth step's FIN enters CLOSE-WAIT (Linux, for
\* a Fast Open client's SYN-ACK: tcp_rcv_fastopen_synack, tcp_fastopen_add_skb, tcp_fin).
SynSentRcvSynAckFin == state = "SYN-SENT" /\ Go("CLOSE-WAIT", "SynSentRcvSynAckFin")
\* §3.10.7.3 fourth: SYN without ACK (simultaneous open): send <SYN,ACK>, SYN-RECEIVED.
SynSentRcvSyn == state = "SYN-SENT" /\ Go("SYN-RECEIVED", "SynSentRcvSyn")
\* §3.10.7.3 fifth: neither SYN nor RST: drop.
SynSentRcvOther == state = "SYN-SENT" /\ Go("SYN-SENT", "SynSentRcvOther")

(***************************************************************************)
(* §3.9.2.2 ICMP messages: an error about a segment of the connection.     *)
(***************************************************************************)
\* §3.9.2.2 SHLD-26: a hard error (Destination Unreachable, protocol or port) about our SYN ends
\* the attempt with that error (Linux tcp_v4_err, tcp_done_with_error). Soft errors (MUST-56),
\* and hard errors once the connection is past SYN-SENT (where Linux only reports them), change
\* no state, so they are no action of this module.
SynSentRcvIcmpHardError == state = "SYN-SENT" /\ Go("CLOSED", "SynSentRcvIcmpHardError")

(***************************************************************************)
(* §3.10.7.4 SEGMENT ARRIVES, "Otherwise": SYN-RECEIVED and synchronized.  *)
(***************************************************************************)
\* §3.10.7.4 first (sequence number check) fails on a non-RST segment: send ACK, drop.
SynReceivedRcvUnacceptable == state = "SYN-RECEIVED" /\ Go("SYN-RECEIVED", "SynReceivedRcvUnacceptable")
EstablishedRcvUnacceptable == state = "ESTABLISHED" /\ Go("ESTABLISHED", "EstablishedRcvUnacceptable")
FinWait1RcvUnacceptable == state = "FIN-WAIT-1" /\ Go("FIN-WAIT-1", "FinWait1RcvUnacceptable")
FinWait2RcvUnacceptable == state = "FIN-WAIT-2" /\ Go("FIN-WAIT-2", "FinWait2RcvUnacceptable")
CloseWaitRcvUnacceptable == state = "CLOSE-WAIT" /\ Go("CLOSE-WAIT", "CloseWaitRcvUnacceptable")
ClosingRcvUnacceptable == state = "CLOSING" /\ Go("CLOSING", "ClosingRcvUnacceptable")
LastAckRcvUnacceptable == state = "LAST-ACK" /\ Go("LAST-ACK", "LastAckRcvUnacceptable")
TimeWaitRcvUnacceptable == state = "TIME-WAIT" /\ Go("TIME-WAIT", "TimeWaitRcvUnacceptable")

\* §3.10.7.4 second, RFC 5961 §3.2: a RST outside the receive window is silently dropped.
SynReceivedRcvRstOutOfWindow == state = "SYN-RECEIVED" /\ Go("SYN-RECEIVED", "SynReceivedRcvRstOutOfWindow")
EstablishedRcvRstOutOfWindow == state = "ESTABLISHED" /\ Go("ESTABLISHED", "EstablishedRcvRstOutOfWindow")
FinWait1RcvRstOutOfWindow == state = "FIN-WAIT-1" /\ Go("FIN-WAIT-1", "FinWait1RcvRstOutOfWindow")
FinWait2RcvRstOutOfWindow == state = "FIN-WAIT-2" /\ Go("FIN-WAIT-2", "FinWait2RcvRstOutOfWindow")
CloseWaitRcvRstOutOfWindow == state = "CLOSE-WAIT" /\ Go("CLOSE-WAIT", "CloseWaitRcvRstOutOfWindow")
ClosingRcvRstOutOfWindow == state = "CLOSING" /\ Go("CLOSING", "ClosingRcvRstOutOfWindow")
LastAckRcvRstOutOfWindow == state = "LAST-ACK" /\ Go("LAST-ACK", "LastAckRcvRstOutOfWindow")
TimeWaitRcvRstOutOfWindow == state = "TIME-WAIT" /\ Go("TIME-WAIT", "TimeWaitRcvRstOutOfWindow")

\* §3.10.7.4 second, RFC 5961 §3.2: a RST exactly at RCV.NXT resets the connection;
\* SYN-RECEIVED from a passive OPEN returns to LISTEN.
SynReceivedRcvRstExact == state = "SYN-RECEIVED" /\ Go(SynReceivedFallback, "SynReceivedRcvRstExact")
EstablishedRcvRstExact == state = "ESTABLISHED" /\ Go("CLOSED", "EstablishedRcvRstExact")
FinWait1RcvRstExact == state = "FIN-WAIT-1" /\ Go("CLOSED", "FinWait1RcvRstExact")
FinWait2RcvRstExact == state = "FIN-WAIT-2" /\ Go("CLOSED", "FinWait2RcvRstExact")
CloseWaitRcvRstExact == state = "CLOSE-WAIT" /\ Go("CLOSED", "CloseWaitRcvRstExact")
ClosingRcvRstExact == state = "CLOSING" /\ Go("CLOSED", "ClosingRcvRstExact")
LastAckRcvRstExact == state = "LAST-ACK" /\ Go("CLOSED", "LastAckRcvRstExact")
TimeWaitRcvRstExact == state = "TIME-WAIT" /\ Go("CLOSED", "TimeWaitRcvRstExact")

\* §3.10.7.4 second, RFC 5961 §3.2: a RST in the window but not at RCV.NXT: challenge ACK.
SynReceivedRcvRstInWindow == state = "SYN-RECEIVED" /\ Go("SYN-RECEIVED", "SynReceivedRcvRstInWindow")
EstablishedRcvRstInWindow == state = "ESTABLISHED" /\ Go("ESTABLISHED", "EstablishedRcvRstInWindow")
FinWait1RcvRstInWindow == state = "FIN-WAIT-1" /\ Go("FIN-WAIT-1", "FinWait1RcvRstInWindow")
FinWait2RcvRstInWindow == state = "FIN-WAIT-2" /\ Go("FIN-WAIT-2", "FinWait2RcvRstInWindow")
CloseWaitRcvRstInWindow == state = "CLOSE-WAIT" /\ Go("CLOSE-WAIT", "CloseWaitRcvRstInWindow")
ClosingRcvRstInWindow == state = "CLOSING" /\ Go("CLOSING", "ClosingRcvRstInWindow")
LastAckRcvRstInWindow == state = "LAST-ACK" /\ Go("LAST-ACK", "LastAckRcvRstInWindow")
TimeWaitRcvRstInWindow == state = "TIME-WAIT" /\ Go("TIME-WAIT", "TimeWaitRcvRstInWindow")

\* §3.10.7.4 fourth, RFC 5961 §4: a SYN in a synchronized state draws a challenge ACK;
\* in SYN-RECEIVED from a passive OPEN the connection returns to LISTEN instead.
\* A Fast Open connection stays, as an active one: Linux's tcp_check_req answers an in-window SYN
\* with a RST but keeps a Fast Open request, so that a forged SYN cannot reset a connection whose
\* user already holds it.
SynReceivedRcvSyn ==
    state = "SYN-RECEIVED" /\ Go(IF passive /\ ~fastOpen THEN "LISTEN" ELSE "SYN-RECEIVED", "SynReceivedRcvSyn")
EstablishedRcvSyn == state = "ESTABLISHED" /\ Go("ESTABLISHED", "EstablishedRcvSyn")
FinWait1RcvSyn == state = "FIN-WAIT-1" /\ Go("FIN-WAIT-1", "FinWait1RcvSyn")
FinWait2RcvSyn == state = "FIN-WAIT-2" /\ Go("FIN-WAIT-2", "FinWait2RcvSyn")
CloseWaitRcvSyn == state = "CLOSE-WAIT" /\ Go("CLOSE-WAIT", "CloseWaitRcvSyn")
ClosingRcvSyn == state = "CLOSING" /\ Go("CLOSING", "ClosingRcvSyn")
LastAckRcvSyn == state = "LAST-ACK" /\ Go("LAST-ACK", "LastAckRcvSyn")
TimeWaitRcvSyn == state = "TIME-WAIT" /\ Go("TIME-WAIT", "TimeWaitRcvSyn")
\* §3.6.1 MAY-2 (RFC 1122 §4.2.2.13, RFC 6191), as Linux does it (tcp_timewait_state_process,
\* TCP_TW_SYN): a SYN without ACK beyond RCV.NXT (or with a newer timestamp), while a listener
\* waits on the port, reopens the connection from TIME-WAIT with an ISS above the old SND.NXT.
\* The new incarnation is the listener's: passive, so a RST in SYN-RECEIVED leads to LISTEN (Linux
\* does not return to TIME-WAIT as the RFC asks if the SYN was an old duplicate).
\* SPEC-GAP: Linux hands such a SYN to the listener, which may take its text by Fast Open too; the
\* model reopens without Fast Open only.
TimeWaitRcvNewSyn ==
    /\ state = "TIME-WAIT" /\ state' = "SYN-RECEIVED" /\ passive' = TRUE /\ fastOpen' = FALSE
    /\ last' = "TimeWaitRcvNewSyn"

\* §3.10.7.4 fifth: "if the ACK bit is off, drop the segment and return".
SynReceivedRcvNoAck == state = "SYN-RECEIVED" /\ Go("SYN-RECEIVED", "SynReceivedRcvNoAck")
EstablishedRcvNoAck == state = "ESTABLISHED" /\ Go("ESTABLISHED", "EstablishedRcvNoAck")
FinWait1RcvNoAck == state = "FIN-WAIT-1" /\ Go("FIN-WAIT-1", "FinWait1RcvNoAck")
FinWait2RcvNoAck == state = "FIN-WAIT-2" /\ Go("FIN-WAIT-2", "FinWait2RcvNoAck")
CloseWaitRcvNoAck == state = "CLOSE-WAIT" /\ Go("CLOSE-WAIT", "CloseWaitRcvNoAck")
ClosingRcvNoAck == state = "CLOSING" /\ Go("CLOSING", "ClosingRcvNoAck")
LastAckRcvNoAck == state = "LAST-ACK" /\ Go("LAST-ACK", "LastAckRcvNoAck")
TimeWaitRcvNoAck == state = "TIME-WAIT" /\ Go("TIME-WAIT", "TimeWaitRcvNoAck")

\* §3.10.7.4 fifth, SYN-RECEIVED: SND.UNA < SEG.ACK =< SND.NXT enters ESTABLISHED.
SynReceivedRcvAck == state = "SYN-RECEIVED" /\ Go("ESTABLISHED", "SynReceivedRcvAck")
\* §3.10.7.4 fifth, SYN-RECEIVED: an unacceptable ACK draws <SEQ=SEG.ACK><CTL=RST>.
SynReceivedRcvBadAck == state = "SYN-RECEIVED" /\ Go("SYN-RECEIVED", "SynReceivedRcvBadAck")
\* §3.10.7.4 fifth then eighth: acceptable ACK (ESTABLISHED) and a FIN (CLOSE-WAIT) at once.
SynReceivedRcvFin == state = "SYN-RECEIVED" /\ Go("CLOSE-WAIT", "SynReceivedRcvFin")

\* §3.10.7.4 fifth, ESTABLISHED and the states built on it: SEG.ACK > SND.NXT acks
\* something not yet sent: send an ACK, drop the segment.
EstablishedRcvAckAhead == state = "ESTABLISHED" /\ Go("ESTABLISHED", "EstablishedRcvAckAhead")
FinWait1RcvAckAhead == state = "FIN-WAIT-1" /\ Go("FIN-WAIT-1", "FinWait1RcvAckAhead")
FinWait2RcvAckAhead == state = "FIN-WAIT-2" /\ Go("FIN-WAIT-2", "FinWait2RcvAckAhead")
CloseWaitRcvAckAhead == state = "CLOSE-WAIT" /\ Go("CLOSE-WAIT", "CloseWaitRcvAckAhead")
ClosingRcvAckAhead == state = "CLOSING" /\ Go("CLOSING", "ClosingRcvAckAhead")
LastAckRcvAckAhead == state = "LAST-ACK" /\ Go("LAST-ACK", "LastAckRcvAckAhead")
TimeWaitRcvAckAhead == state = "TIME-WAIT" /\ Go("TIME-WAIT", "TimeWaitRcvAckAhead")

\* §3.10.7.4 fifth with RFC 5961 §5.2 (RFC 9293 MAY-12): SEG.ACK < SND.UNA - MAX.SND.WND acks
\* nothing this connection could have sent lately (blind data injection): send a challenge ACK,
\* drop the segment, text and FIN included.
EstablishedRcvAckTooOld == state = "ESTABLISHED" /\ Go("ESTABLISHED", "EstablishedRcvAckTooOld")
FinWait1RcvAckTooOld == state = "FIN-WAIT-1" /\ Go("FIN-WAIT-1", "FinWait1RcvAckTooOld")
FinWait2RcvAckTooOld == state = "FIN-WAIT-2" /\ Go("FIN-WAIT-2", "FinWait2RcvAckTooOld")
CloseWaitRcvAckTooOld == state = "CLOSE-WAIT" /\ Go("CLOSE-WAIT", "CloseWaitRcvAckTooOld")
ClosingRcvAckTooOld == state = "CLOSING" /\ Go("CLOSING", "ClosingRcvAckTooOld")
LastAckRcvAckTooOld == state = "LAST-ACK" /\ Go("LAST-ACK", "LastAckRcvAckTooOld")
TimeWaitRcvAckTooOld == state = "TIME-WAIT" /\ Go("TIME-WAIT", "TimeWaitRcvAckTooOld")

\* §3.10.7.4 fifth: SEG.ACK =< SND.UNA is a duplicate and can be ignored.
EstablishedRcvDupAck == state = "ESTABLISHED" /\ Go("ESTABLISHED", "EstablishedRcvDupAck")
FinWait1RcvDupAck == state = "FIN-WAIT-1" /\ Go("FIN-WAIT-1", "FinWait1RcvDupAck")
FinWait2RcvDupAck == state = "FIN-WAIT-2" /\ Go("FIN-WAIT-2", "FinWait2RcvDupAck")
CloseWaitRcvDupAck == state = "CLOSE-WAIT" /\ Go("CLOSE-WAIT", "CloseWaitRcvDupAck")
ClosingRcvDupAck == state = "CLOSING" /\ Go("CLOSING", "ClosingRcvDupAck")
LastAckRcvDupAck == state = "LAST-ACK" /\ Go("LAST-ACK", "LastAckRcvDupAck")
TimeWaitRcvDupAck == state = "TIME-WAIT" /\ Go("TIME-WAIT", "TimeWaitRcvDupAck")

\* §3.10.7.4 fifth: SND.UNA < SEG.ACK =< SND.NXT advances SND.UNA (not covering our FIN).
EstablishedRcvAck == state = "ESTABLISHED" /\ Go("ESTABLISHED", "EstablishedRcvAck")
FinWait1RcvAck == state = "FIN-WAIT-1" /\ Go("FIN-WAIT-1", "FinWait1RcvAck")
FinWait2RcvAck == state = "FIN-WAIT-2" /\ Go("FIN-WAIT-2", "FinWait2RcvAck")
CloseWaitRcvAck == state = "CLOSE-WAIT" /\ Go("CLOSE-WAIT", "CloseWaitRcvAck")
ClosingRcvAck == state = "CLOSING" /\ Go("CLOSING", "ClosingRcvAck")
LastAckRcvAck == state = "LAST-ACK" /\ Go("LAST-ACK", "LastAckRcvAck")
TimeWaitRcvAck == state = "TIME-WAIT" /\ Go("TIME-WAIT", "TimeWaitRcvAck")

\* §3.10.7.4 fifth, FIN-WAIT-1: "if the FIN segment is now acknowledged, enter FIN-WAIT-2".
FinWait1RcvAckOfFin == state = "FIN-WAIT-1" /\ Go("FIN-WAIT-2", "FinWait1RcvAckOfFin")
\* §3.10.7.4 fifth, CLOSING: the ACK acknowledges our FIN: enter TIME-WAIT.
ClosingRcvAckOfFin == state = "CLOSING" /\ Go("TIME-WAIT", "ClosingRcvAckOfFin")
\* §3.10.7.4 fifth, LAST-ACK: our FIN acknowledged: delete the TCB, CLOSED.
LastAckRcvAckOfFin == state = "LAST-ACK" /\ Go("CLOSED", "LastAckRcvAckOfFin")

\* §3.10.7.4 seventh: segment text in the window is delivered and acknowledged.
EstablishedRcvData == state = "ESTABLISHED" /\ Go("ESTABLISHED", "EstablishedRcvData")
FinWait1RcvData == state = "FIN-WAIT-1" /\ Go("FIN-WAIT-1", "FinWait1RcvData")
FinWait2RcvData == state = "FIN-WAIT-2" /\ Go("FIN-WAIT-2", "FinWait2RcvData")
\* §3.6.1 SHLD-3 (RFC 1122 §4.2.2.13), as Linux does it (tcp_rcv_state_process,
\* LINUX_MIB_TCPABORTONDATA): once the user's CLOSE also ended its reading (a "half-duplex" close,
\* MAY-1: close(), or shutdown of both directions), new text beyond RCV.NXT can never be delivered:
\* answer it with a RST to show it was lost and delete the TCB.
FinWait1RcvDataAfterClose == state = "FIN-WAIT-1" /\ Go("CLOSED", "FinWait1RcvDataAfterClose")
FinWait2RcvDataAfterClose == state = "FIN-WAIT-2" /\ Go("CLOSED", "FinWait2RcvDataAfterClose")
\* §3.10.7.4 seventh: after the peer's FIN "this should not occur": ignore the text.
CloseWaitRcvData == state = "CLOSE-WAIT" /\ Go("CLOSE-WAIT", "CloseWaitRcvData")
ClosingRcvData == state = "CLOSING" /\ Go("CLOSING", "ClosingRcvData")
LastAckRcvData == state = "LAST-ACK" /\ Go("LAST-ACK", "LastAckRcvData")
TimeWaitRcvData == state = "TIME-WAIT" /\ Go("TIME-WAIT", "TimeWaitRcvData")

\* §3.10.7.4 eighth (FIN bit): ESTABLISHED enters CLOSE-WAIT.
EstablishedRcvFin == state = "ESTABLISHED" /\ Go("CLOSE-WAIT", "EstablishedRcvFin")
\* §3.10.7.4 eighth: FIN-WAIT-1 whose FIN is not yet acknowledged enters CLOSING.
FinWait1RcvFin == state = "FIN-WAIT-1" /\ Go("CLOSING", "FinWait1RcvFin")
\* §3.10.7.4 eighth: FIN-WAIT-1 whose FIN this segment acknowledges enters TIME-WAIT.
FinWait1RcvFinAckOfFin == state = "FIN-WAIT-1" /\ Go("TIME-WAIT", "FinWait1RcvFinAckOfFin")
\* §3.10.7.4 eighth: FIN-WAIT-2 enters TIME-WAIT, starts the 2 MSL timer.
FinWait2RcvFin == state = "FIN-WAIT-2" /\ Go("TIME-WAIT", "FinWait2RcvFin")
\* §3.10.7.4 eighth: a retransmitted FIN in CLOSE-WAIT, CLOSING, LAST-ACK is acknowledged.
CloseWaitRcvFin == state = "CLOSE-WAIT" /\ Go("CLOSE-WAIT", "CloseWaitRcvFin")
ClosingRcvFin == state = "CLOSING" /\ Go("CLOSING", "ClosingRcvFin")
LastAckRcvFin == state = "LAST-ACK" /\ Go("LAST-ACK", "LastAckRcvFin")
\* §3.10.7.4 eighth: TIME-WAIT acknowledges the FIN and restarts the 2 MSL timeout.
TimeWaitRcvFin == state = "TIME-WAIT" /\ Go("TIME-WAIT", "TimeWaitRcvFin")

User ==
    \/ PASSIVE_OPEN \/ ACTIVE_OPEN \/ ACTIVE_OPEN_FAST_OPEN \/ SEND \/ CLOSE_LISTEN \/ CLOSE_SYN_SENT
    \/ CLOSE_SYN_RECEIVED \/ CLOSE_ESTABLISHED \/ CLOSE_CLOSE_WAIT \/ ABORT

Timeout ==
    \/ SynSentTimeout \/ SynReceivedTimeout \/ EstablishedTimeout \/ FinWait1Timeout
    \/ CloseWaitTimeout \/ ClosingTimeout \/ LastAckTimeout \/ FinWait2Timeout
    \/ FinWait2KeepaliveTimeout \/ TimeWaitTimeout

RcvUnsynchronized ==
    \/ ClosedRcvRst \/ ClosedRcvSegment
    \/ ListenRcvRst \/ ListenRcvAck \/ ListenRcvSyn \/ ListenRcvSynFastOpen \/ ListenRcvOther
    \/ SynSentRcvBadAck \/ SynSentRcvRst \/ SynSentRcvRstNoAck \/ SynSentRcvSynAck
    \/ SynSentRcvSynAckFin \/ SynSentRcvSyn \/ SynSentRcvOther

RcvSequenceAndControl ==
    \/ SynReceivedRcvUnacceptable \/ EstablishedRcvUnacceptable \/ FinWait1RcvUnacceptable
    \/ FinWait2RcvUnacceptable \/ CloseWaitRcvUnacceptable \/ ClosingRcvUnacceptable
    \/ LastAckRcvUnacceptable \/ TimeWaitRcvUnacceptable
    \/ SynReceivedRcvRstOutOfWindow \/ EstablishedRcvRstOutOfWindow \/ FinWait1RcvRstOutOfWindow
    \/ FinWait2RcvRstOutOfWindow \/ CloseWaitRcvRstOutOfWindow \/ ClosingRcvRstOutOfWindow
    \/ LastAckRcvRstOutOfWindow \/ TimeWaitRcvRstOutOfWindow
    \/ SynReceivedRcvRstExact \/ EstablishedRcvRstExact \/ FinWait1RcvRstExact
    \/ FinWait2RcvRstExact \/ CloseWaitRcvRstExact \/ ClosingRcvRstExact
    \/ LastAckRcvRstExact \/ TimeWaitRcvRstExact
    \/ SynReceivedRcvRstInWindow \/ EstablishedRcvRstInWindow \/ FinWait1RcvRstInWindow
    \/ FinWait2RcvRstInWindow \/ CloseWaitRcvRstInWindow \/ ClosingRcvRstInWindow
    \/ LastAckRcvRstInWindow \/ TimeWaitRcvRstInWindow
    \/ SynReceivedRcvSyn \/ EstablishedRcvSyn \/ FinWait1RcvSyn \/ FinWait2RcvSyn
    \/ CloseWaitRcvSyn \/ ClosingRcvSyn \/ LastAckRcvSyn \/ TimeWaitRcvSyn \/ TimeWaitRcvNewSyn

RcvAckDataFin ==
    \/ SynReceivedRcvNoAck \/ EstablishedRcvNoAck \/ FinWait1RcvNoAck \/ FinWait2RcvNoAck
    \/ CloseWaitRcvNoAck \/ ClosingRcvNoAck \/ LastAckRcvNoAck \/ TimeWaitRcvNoAck
    \/ SynReceivedRcvAck \/ SynReceivedRcvBadAck \/ SynReceivedRcvFin
    \/ EstablishedRcvAckAhead \/ FinWait1RcvAckAhead \/ FinWait2RcvAckAhead
    \/ CloseWaitRcvAckAhead \/ ClosingRcvAckAhead \/ LastAckRcvAckAhead \/ TimeWaitRcvAckAhead
    \/ EstablishedRcvAckTooOld \/ FinWait1RcvAckTooOld \/ FinWait2RcvAckTooOld
    \/ CloseWaitRcvAckTooOld \/ ClosingRcvAckTooOld \/ LastAckRcvAckTooOld \/ TimeWaitRcvAckTooOld
    \/ EstablishedRcvDupAck \/ FinWait1RcvDupAck \/ FinWait2RcvDupAck \/ CloseWaitRcvDupAck
    \/ ClosingRcvDupAck \/ LastAckRcvDupAck \/ TimeWaitRcvDupAck
    \/ EstablishedRcvAck \/ FinWait1RcvAck \/ FinWait2RcvAck \/ CloseWaitRcvAck
    \/ ClosingRcvAck \/ LastAckRcvAck \/ TimeWaitRcvAck
    \/ FinWait1RcvAckOfFin \/ ClosingRcvAckOfFin \/ LastAckRcvAckOfFin
    \/ EstablishedRcvData \/ FinWait1RcvData \/ FinWait2RcvData \/ CloseWaitRcvData
    \/ ClosingRcvData \/ LastAckRcvData \/ TimeWaitRcvData
    \/ FinWait1RcvDataAfterClose \/ FinWait2RcvDataAfterClose
    \/ EstablishedRcvFin \/ FinWait1RcvFin \/ FinWait1RcvFinAckOfFin \/ FinWait2RcvFin
    \/ CloseWaitRcvFin \/ ClosingRcvFin \/ LastAckRcvFin \/ TimeWaitRcvFin

RcvIcmp == SynSentRcvIcmpHardError

Next == User \/ Timeout \/ RcvUnsynchronized \/ RcvSequenceAndControl \/ RcvAckDataFin \/ RcvIcmp

Spec == Init /\ [][Next]_vars

\* The arrows of RFC 9293 §3.3.2's diagram as this module refines it: every change of `state`
\* any action makes.  TcpSystem checks its endpoints against this set (EndpointArrowsOnly);
\* MCTcpEndpoint checks that TcpEndpoint stays inside it (OnlyArrows), and StateGraphTest that
\* the dumped graph has exactly as many state-changing pairs.
Arrows == {
    <<"CLOSED", "LISTEN">>, <<"CLOSED", "SYN-SENT">>,
    <<"LISTEN", "CLOSED">>, <<"LISTEN", "SYN-RECEIVED">>,
    <<"SYN-SENT", "CLOSED">>, <<"SYN-SENT", "SYN-RECEIVED">>, <<"SYN-SENT", "ESTABLISHED">>,
    <<"SYN-SENT", "CLOSE-WAIT">>,
    <<"SYN-RECEIVED", "CLOSED">>, <<"SYN-RECEIVED", "LISTEN">>,
    <<"SYN-RECEIVED", "ESTABLISHED">>, <<"SYN-RECEIVED", "CLOSE-WAIT">>,
    <<"SYN-RECEIVED", "FIN-WAIT-1">>,
    <<"ESTABLISHED", "CLOSED">>, <<"ESTABLISHED", "FIN-WAIT-1">>,
    <<"ESTABLISHED", "CLOSE-WAIT">>,
    <<"FIN-WAIT-1", "CLOSED">>, <<"FIN-WAIT-1", "FIN-WAIT-2">>, <<"FIN-WAIT-1", "CLOSING">>,
    <<"FIN-WAIT-1", "TIME-WAIT">>,
    <<"FIN-WAIT-2", "CLOSED">>, <<"FIN-WAIT-2", "TIME-WAIT">>,
    <<"CLOSE-WAIT", "CLOSED">>, <<"CLOSE-WAIT", "LAST-ACK">>,
    <<"CLOSING", "CLOSED">>, <<"CLOSING", "TIME-WAIT">>,
    <<"LAST-ACK", "CLOSED">>,
    <<"TIME-WAIT", "CLOSED">>, <<"TIME-WAIT", "SYN-RECEIVED">>}

OnlyArrows == [][state' # state => <<state, state'>> \in Arrows]_vars

(***************************************************************************)
(* Invariants, split so TLC names the conjunct that fails.                 *)
(***************************************************************************)
\* `passive` only matters in SYN-RECEIVED; there it must agree with how the connection began.
PassiveOnlyFromListen == last \in {"ListenRcvSyn", "ListenRcvSynFastOpen", "TimeWaitRcvNewSyn"} => passive
ActiveNeverPassive == last \in {"ACTIVE_OPEN", "ACTIVE_OPEN_FAST_OPEN", "SynSentRcvSyn"} => ~passive
\* Only a listener takes text from a SYN (RFC 7413 §4.2.2), and the flag lives in SYN-RECEIVED.
FastOpenOnlyFromListen == fastOpen => passive /\ state = "SYN-RECEIVED"
FastOpenWhenTaken == last = "ListenRcvSynFastOpen" => fastOpen
\* Only CLOSED may lack a way out: every other state has ABORT.
NoDeadEnd == state # "CLOSED" => ENABLED ABORT
=============================================================================
