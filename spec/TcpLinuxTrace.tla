---------------------------- MODULE TcpLinuxTrace ----------------------------
(***************************************************************************)
(* The model judges another implementation (the Linux kernel) from what    *)
(* can be seen of it: the segments injected and sniffed, the system calls, *)
(* and tcpi_state where a script reads it.  Its states are hidden, so the  *)
(* behaviours of this module follow each trace with TcpEndpoint's state    *)
(* chosen by TLC (trace validation with existentially chosen hidden        *)
(* steps, Cirstea et al. 2024): timers fire unobserved, but not before    *)
(* their shortest duration (`ms` is each record's time in milliseconds),   *)
(* and an ACK RFC 9293 asks for at once may be left out within 500 ms of   *)
(* the last one sent (RFC 5961 §7 ACK throttling, as Linux does it).       *)
(*                                                                         *)
(* A record is one observed event:                                         *)
(*  - "step": an arriving segment or a user call.  `cand` holds, per state *)
(*    and origin, the action the classifier (§3.10.7) and the table name   *)
(*    for it, as <<state, passive, action>>; a state with none reacts      *)
(*    without an action of the model.  `reply` classifies the first        *)
(*    segment the implementation sent in answer, before the next event:    *)
(*    "none", "ack", "data" (text or FIN, carrying the ACK), "rst",        *)
(*    "synack", "syn"; "any" for a user call.                              *)
(*  - "state": tcpi_state was read and is `state`.                         *)
(* Where TcpEndpoint has no action for an event in a state (the table's    *)
(* documented reactions), the model does not move.                         *)
(* The traces come from the generated module TcpLinuxTraceData:            *)
(*   Traces == << << record, ... >>, ... >>  (one per script)              *)
(* and every trace is followed from its own initial state in one TLC run;  *)
(* how far each got is read from TLC's dump of the states it reached.      *)
(***************************************************************************)
EXTENDS TcpEndpoint, TcpLinuxTraceData, Integers, Sequences

VARIABLES
    t,        \* the trace this behaviour follows
    i,        \* how many of its records it has matched
    entered,  \* when (ms) the current state was entered, as far as the records show
    ackedMs   \* when (ms) the last ACK answering an AckAtOnce action was seen; NeverAcked before

linuxVars == <<state, passive, fastOpen, last, t, i, entered, ackedMs>>

NeverAcked == -1

(***************************************************************************)
(* What RFC 9293 has an endpoint send in answer to an arrival (§3.10.7),   *)
(* where it says so plainly.  Other actions may answer with anything.      *)
(***************************************************************************)
Synced == {"Established", "FinWait1", "FinWait2", "CloseWait", "Closing", "LastAck", "TimeWait"}

\* §3.10.7.4 first ("send an acknowledgment"), RFC 5961 §3.2, §4, §5.2 (challenge ACK), and
\* fifth (an ACK of something not yet sent: "send an ACK, drop the segment").
AckAtOnce ==
    {p \o k : p \in Synced,
              k \in {"RcvUnacceptable", "RcvRstInWindow", "RcvSyn", "RcvAckAhead", "RcvAckTooOld"}}

\* §3.10.7.4 eighth: a FIN is acknowledged (a retransmitted one too); §3.10.7.3 fourth: a SYN-ACK.
FinAcked ==
    {"EstablishedRcvFin", "FinWait1RcvFin", "FinWait1RcvFinAckOfFin", "FinWait2RcvFin",
     "CloseWaitRcvFin", "ClosingRcvFin", "LastAckRcvFin", "TimeWaitRcvFin", "SynSentRcvSynAck",
     "SynSentRcvSynAckFin"}

\* Dropped without an answer: RSTs (§3.10.7.1-4, RFC 5961 §3.2), segments without ACK (§3.10.7.4
\* fifth), text after the peer's FIN ("Ignore the segment text", seventh), other segments in
\* LISTEN and SYN-SENT.
Silent ==
    {p \o k : p \in Synced \cup {"SynReceived"}, k \in {"RcvRstOutOfWindow", "RcvRstExact", "RcvNoAck"}}
    \cup {"ClosedRcvRst", "ListenRcvRst", "ListenRcvOther", "SynSentRcvRstNoAck", "SynSentRcvRst",
          "SynSentRcvOther", "CloseWaitRcvData", "ClosingRcvData", "LastAckRcvData", "TimeWaitRcvData"}

\* Answered with a RST: §3.10.7.1, §3.10.7.2 second, §3.10.7.4 fifth (SYN-RECEIVED), §3.6.1 SHLD-3.
Reset == {"ClosedRcvSegment", "ListenRcvAck", "SynReceivedRcvBadAck",
          "FinWait1RcvDataAfterClose", "FinWait2RcvDataAfterClose"}

\* Answered with <SYN,ACK>: §3.10.7.2 third, §3.10.7.3 fourth, §3.6.1 MAY-2.
SynAcked == {"ListenRcvSyn", "SynSentRcvSyn", "TimeWaitRcvNewSyn"}

Replies == {"none", "ack", "data", "rst", "synack", "syn", "any"}

Allowed(a) ==
    IF a \in AckAtOnce \cup FinAcked THEN {"ack", "data"}
    ELSE IF a \in Silent THEN {"none"}
    ELSE IF a \in Reset THEN {"rst"}
    ELSE IF a \in SynAcked THEN {"synack"}
    ELSE Replies

Rec == Traces[t][i + 1]

\* The actions the record names in the current state and origin.
Named == {c[3] : c \in {c \in Rec.cand : c[1] = state /\ c[2] = passive}}

\* RFC 5961 §7 asks for ACK throttling; Linux sends challenge ACKs, out-of-window ACKs and the
\* ACK of an ACK of unsent data at most once per net.ipv4.tcp_invalid_ratelimit (500 ms) per
\* connection (__tcp_oow_rate_limited; text without SYN is always answered, which the records do
\* not show, so the model allows leaving out any of them).
InvalidRatelimitMs == 500
Throttled == ackedMs # NeverAcked /\ Rec.ms - ackedMs < InvalidRatelimitMs

\* An arrival or a user call: the named action, with an answer the RFC allows; where the state
\* has no action for it, the model does not move.
Step ==
    /\ Rec.kind = "step"
    /\ IF Named = {}
       THEN UNCHANGED <<state, passive, fastOpen, last, ackedMs>>
       ELSE \E a \in Named :
              /\ Next
              /\ last' = a
              /\ \/ Rec.reply \in Allowed(a)
                 \/ a \in AckAtOnce /\ Rec.reply = "none" /\ Throttled
              /\ ackedMs' = IF a \in AckAtOnce /\ Rec.reply \in {"ack", "data"} THEN Rec.ms ELSE ackedMs

\* tcpi_state was read: the model is in that state.
Seen ==
    /\ Rec.kind = "state"
    /\ state = Rec.state
    /\ UNCHANGED <<state, passive, fastOpen, last, ackedMs>>

Observed ==
    /\ i < Len(Traces[t])
    /\ Step \/ Seen
    /\ i' = i + 1
    /\ entered' = IF state' # state THEN Rec.ms ELSE entered
    /\ UNCHANGED t

\* The shortest time a state's timer can take: TIME-WAIT lasts 2 MSL (§3.6.1; Linux's 60 s,
\* TCP_TIMEWAIT_LEN, is fixed); the others give up after at least one retransmission timeout,
\* never below Linux's 200 ms (TCP_RTO_MIN; RFC 6298 §2.4 allows it), or after tcp_fin_timeout.
ShortestTimerMs(s) == IF s = "TIME-WAIT" THEN 60000 ELSE 200

\* A timer fired unobserved (a hidden step of TcpEndpoint), before the next record.
Hidden ==
    /\ i < Len(Traces[t])
    /\ Rec.ms - entered >= ShortestTimerMs(state)
    /\ Timeout
    /\ entered' = Rec.ms
    /\ UNCHANGED <<t, i, ackedMs>>

LinuxInit ==
    /\ Init
    /\ t \in 1..Len(Traces)
    /\ i = 0
    /\ entered = 0
    /\ ackedMs = NeverAcked

LinuxNext == Observed \/ Hidden
=============================================================================
