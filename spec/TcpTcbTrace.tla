----------------------------- MODULE TcpTcbTrace -----------------------------
(***************************************************************************)
(* Trace validation of an implementation's TCB, after Cirstea, Kuppe,      *)
(* Merz et al. 2024 ("Validating Traces of Distributed Programs Against    *)
(* TLA+ Specifications") and tlaplus/Examples' ewd998 trace modules: the   *)
(* behaviours of this module follow implementation traces record by        *)
(* record, and TLC checks that every record is a possible next step.       *)
(*                                                                         *)
(* A record is one transition of one connection: the TcpEndpoint action,   *)
(* the states before and after, the arriving segment if any, and the TCB   *)
(* after the transition.  The variables are the TCB's 32-bit sequence      *)
(* numbers and real windows (RFC 9293 §3.3.1), not TcpSystem's small       *)
(* modular numbers: ISS, IRS, SND.UNA, SND.NXT, RCV.NXT, SND.WND and the   *)
(* send window's shift (RFC 7323 §2.3).  Each step must be the named       *)
(* TcpEndpoint action (state, passive) and change the TCB only as RFC 9293 *)
(* §3.10.7 allows for that action and segment.                             *)
(*                                                                         *)
(* Logging is incomplete on purpose: sending new data or a FIN changes no  *)
(* state, so no record shows it.  Between two records the sender may have  *)
(* advanced SND.NXT inside the offered window (a hidden step, chosen so    *)
(* that the next record is matched, as the paper's "silent" actions are).  *)
(*                                                                         *)
(* TLC's integers are 32-bit signed, so a sequence number is a pair        *)
(* <<high 16 bits, low 16 bits>> and the arithmetic modulo 2^32 of         *)
(* RFC 9293 §3.4 is written out below.  The traces come from the generated *)
(* module TcpTcbTraceData (org.tcpspec.spec.TcbTraceValidation):           *)
(*   Traces == << << record, ... >>, ... >>                                *)
(* one sequence of records per connection, checked one after the other.   *)
(***************************************************************************)
EXTENDS TcpEndpoint, TcpTcbTraceData, Integers, Sequences

VARIABLES
    t,            \* which trace of Traces the behaviour follows
    i,            \* how many records of Traces[t] it has matched
    iss,          \* ISS, our initial send sequence number
    irs,          \* IRS, the peer's initial sequence number
    sndUna,       \* SND.UNA, oldest unacknowledged sequence number
    sndNxt,       \* SND.NXT, next sequence number to be sent
    rcvNxt,       \* RCV.NXT, next sequence number expected
    sndWnd,       \* SND.WND in bytes (the peer's window field, scaled)
    sndWndShift,  \* Snd.Wind.Shift of RFC 7323 (0 until negotiated)
    rcvHigh       \* the end of the highest sequence space the peer sent that was taken in
                  \* (text or FIN): RCV.NXT may never acknowledge beyond it

tcbVars == <<iss, irs, sndUna, sndNxt, rcvNxt, sndWnd, sndWndShift>>
traceVars == <<state, passive, fastOpen, last, t, i, tcbVars, rcvHigh>>

(***************************************************************************)
(* Sequence numbers modulo 2^32 (RFC 9293 §3.4), as <<high, low>> pairs.   *)
(***************************************************************************)
Half == 65536
HalfSpace == 32768    \* 2^31 as a high half: the "less than" of §3.4 is a difference below it

\* a + n mod 2^32, for 0 =< n < 2^31.
Plus(a, n) ==
    LET lo == a[2] + (n % Half)
        hi == a[1] + (n \div Half) + (lo \div Half)
    IN <<hi % Half, lo % Half>>

\* (b - a) mod 2^32 as a pair.
Diff(a, b) ==
    LET borrow == IF b[2] < a[2] THEN 1 ELSE 0
    IN <<(b[1] - a[1] - borrow) % Half, (b[2] - a[2]) % Half>>

Lt(a, b) == a # b /\ Diff(a, b)[1] < HalfSpace
Le(a, b) == a = b \/ Lt(a, b)

(***************************************************************************)
(* The actions by what they do to the TCB (spec/ACTIONS.md).               *)
(***************************************************************************)
\* A new incarnation chooses an ISS (§3.10.1, §3.10.7.2; §3.6.1 MAY-2 for a reopened
\* TIME-WAIT) and its SYN takes one sequence number.
NewIss == {"ACTIVE_OPEN", "ACTIVE_OPEN_FAST_OPEN", "ListenRcvSyn", "ListenRcvSynFastOpen", "TimeWaitRcvNewSyn"}

\* The peer's SYN is recorded: IRS and RCV.NXT = IRS + 1 (§3.10.7.2, §3.10.7.3); a Fast Open
\* listener takes the SYN's text too, RCV.NXT = IRS + 1 + SEG.LEN (RFC 7413 §4.2.2).
SynRecorded == {"ListenRcvSyn", "ListenRcvSynFastOpen", "SynSentRcvSyn", "TimeWaitRcvNewSyn"}

\* A FIN is taken (§3.10.7.4 eighth step): the segment's own, after its text, or one that came
\* out of order and was held, which the segment's text (with the text held after it) reaches.
FinTaken == {"EstablishedRcvFin", "FinWait1RcvFin", "FinWait1RcvFinAckOfFin",
             "FinWait2RcvFin", "SynReceivedRcvFin", "SynSentRcvSynAckFin"}

\* Our SYN acknowledged by the peer's SYN (§3.10.7.3 fourth), with a FIN or without.
SynAckArrived == {"SynSentRcvSynAck", "SynSentRcvSynAckFin"}

\* Text may be taken (§3.10.7.4 seventh step; §3.10.7.3 for text on a SYN-ACK), and a FIN ahead
\* of RCV.NXT held with it (Linux tcp_data_queue_ofo).
TextTaken == {"EstablishedRcvData", "FinWait1RcvData", "FinWait2RcvData", "FinWait1RcvAckOfFin",
              "SynReceivedRcvAck", "SynSentRcvSynAck"}

\* The ACK covers our FIN: nothing is left unacknowledged.
AckOfFin == {"FinWait1RcvAckOfFin", "FinWait1RcvFinAckOfFin", "ClosingRcvAckOfFin",
             "LastAckRcvAckOfFin"}

\* The states from which new text or a FIN goes out after a record (the sender's output).
SendingStates == {"ESTABLISHED", "CLOSE-WAIT", "FIN-WAIT-1", "CLOSING", "LAST-ACK"}

(***************************************************************************)
(* One record.                                                             *)
(***************************************************************************)
Rec == Traces[t][i + 1]
Seg == Rec.seg
Tcb == Rec.tcb

\* Where the segment's sequence space ends: SEQ + (SYN) + text, and one more for a FIN.
TextEnd == Plus(Seg.seq, (IF Seg.SYN THEN 1 ELSE 0) + Seg.len)
SpaceEnd == Plus(TextEnd, IF Seg.FIN THEN 1 ELSE 0)

\* SND.NXT just before the record's action: for a new incarnation the old value, else the value
\* the record shows (no row but a SYN's moves SND.NXT; the sender's output between records does).
Sent == IF Rec.action \in NewIss THEN sndNxt ELSE Tcb.sndNxt

\* Hidden step: what the sender put on the wire since the last record. SND.NXT only grows, in a
\* state that sends, inside the offered window (§3.8.6), except a FIN, which goes even when the
\* window is closed (Linux tcp_send_fin).
Output ==
    \/ Sent = sndNxt
    \* A Fast Open SYN's text that the SYN-ACK left unacknowledged goes again from SND.UNA
    \* (RFC 7413 §4.1.2 fallback): SND.NXT returns to the acknowledged point.
    \/ /\ Rec.action \in SynAckArrived
       /\ Lt(Sent, sndNxt)
       /\ Sent = Tcb.sndUna
    \/ /\ state \in SendingStates \/ (state = "SYN-RECEIVED" /\ fastOpen)
       /\ Lt(sndNxt, Sent)
       /\ \/ Le(Sent, Plus(sndUna, sndWnd + 1))
          \/ Sent = Plus(sndNxt, 1)

\* ISS and the first SND.UNA and SND.NXT of a new incarnation.
IssStep ==
    IF Rec.action \in NewIss
    THEN /\ Tcb.sndUna = Tcb.iss
         \* A Fast Open client's SYN may carry text (RFC 7413 §4.1.2).
         /\ IF Rec.action = "ACTIVE_OPEN_FAST_OPEN" THEN Le(Plus(Tcb.iss, 1), Tcb.sndNxt)
            ELSE Tcb.sndNxt = Plus(Tcb.iss, 1)
         \* §3.6.1 MAY-2 (1): the new ISS lies beyond any sequence number the old one used.
         /\ Rec.action = "TimeWaitRcvNewSyn" => Lt(sndNxt, Tcb.iss)
    ELSE Tcb.iss = iss

\* IRS: only a recorded SYN sets it; a returning SYN cookie (RFC 4987) carries no SYN and
\* recreates it from the ACK, whose SEQ is IRS + 1.
IrsStep ==
    IF Rec.action \in SynRecorded
    THEN /\ Rec.hasSeg
         /\ IF Seg.SYN THEN Tcb.irs = Seg.seq ELSE Plus(Tcb.irs, 1) = Seg.seq
    ELSE IF Rec.action \in SynAckArrived
    THEN Tcb.irs = Seg.seq
    ELSE Tcb.irs = irs

\* SND.UNA (§3.10.7.4 fifth step): moves only forward, only to an arriving ACK's SEG.ACK, and
\* never past SND.NXT; an ACK of our FIN acknowledges everything.
UnaStep ==
    /\ Rec.action \notin NewIss =>
         \/ Tcb.sndUna = sndUna
         \/ /\ Rec.hasSeg /\ Seg.ACK
            /\ Tcb.sndUna = Seg.ack
            /\ Lt(sndUna, Tcb.sndUna)
            /\ Le(Tcb.sndUna, Sent)
    /\ Rec.action \in AckOfFin => Tcb.sndUna = Tcb.sndNxt

\* RCV.NXT: a SYN takes one number (§3.3.1), a FIN one after the segment's text, text advances
\* it only from RCV.NXT on, never beyond what arrived; every other action leaves it alone.
RcvStep ==
    IF Rec.action = "ListenRcvSynFastOpen"
    THEN Tcb.rcvNxt = TextEnd
    ELSE IF Rec.action \in SynRecorded
    THEN Tcb.rcvNxt = Plus(Tcb.irs, 1)
    ELSE IF Rec.action \in FinTaken
    THEN \/ Tcb.rcvNxt = Plus(TextEnd, 1)
         \* A held FIN (Linux tcp_ofo_queue, then tcp_fin): the segment starts in order and has no
         \* FIN of its own; RCV.NXT moves past the held text and the FIN, never past what arrived.
         \/ /\ ~Seg.FIN
            /\ Le(Seg.seq, rcvNxt)
            /\ Lt(Plus(TextEnd, 1), Tcb.rcvNxt)
            /\ Le(Tcb.rcvNxt, rcvHigh')
    ELSE IF Rec.action \in TextTaken
    THEN LET from == IF Rec.action = "SynSentRcvSynAck" THEN Plus(Seg.seq, 1) ELSE rcvNxt
         IN /\ Le(from, Tcb.rcvNxt)
            /\ Le(Tcb.rcvNxt, rcvHigh')
            \* Out-of-order text is queued: it cannot move RCV.NXT.
            /\ Lt(from, Seg.seq) => Tcb.rcvNxt = from
    ELSE Tcb.rcvNxt = rcvNxt

\* The highest sequence space taken in, for RcvStep's bound.
RcvHighStep ==
    rcvHigh' =
        IF Rec.action = "ListenRcvSynFastOpen" THEN TextEnd
        ELSE IF Rec.action \in SynRecorded THEN Plus(Tcb.irs, 1)
        ELSE IF Rec.action \in FinTaken \cup TextTaken
        THEN IF Rec.action \in SynAckArrived \/ Lt(rcvHigh, SpaceEnd) THEN SpaceEnd ELSE rcvHigh
        ELSE rcvHigh

\* SND.WND: a SYN's window is never scaled (RFC 7323 §2.2); otherwise only an arriving ACK
\* updates it, to its window field shifted by Snd.Wind.Shift (§3.10.7.4, RFC 7323 §2.3).
WndStep ==
    \* The shift is agreed in the handshake (RFC 7323 §2.2): with the peer's SYN or SYN-ACK.
    /\ IF Rec.action \in SynRecorded \cup NewIss \cup SynAckArrived
       THEN Tcb.sndWndShift \in 0..14
       ELSE Tcb.sndWndShift = sndWndShift
    /\ IF Rec.action \in SynRecorded /\ Seg.SYN
       THEN Tcb.sndWnd = Seg.wnd
       \* A returning SYN cookie: the SYN's window went with the SYN (RFC 4987 keeps no state);
       \* the ACK that carried the cookie sets SND.WND when it is processed, the next record.
       ELSE IF Rec.action \in SynRecorded
       THEN TRUE
       ELSE \/ Tcb.sndWnd = sndWnd
            \/ /\ Rec.hasSeg /\ (Seg.ACK \/ Seg.SYN)
               /\ Tcb.sndWnd = Seg.wnd * 2^(IF Seg.SYN THEN 0 ELSE Tcb.sndWndShift)

\* In every state with a TCB in use: SND.UNA =< SND.NXT, and while our SYN is unacknowledged
\* it is the only sequence number sent.
Sane ==
    Rec.to \notin {"CLOSED", "LISTEN"} =>
        /\ Le(Tcb.sndUna, Tcb.sndNxt)
        \* In SYN-SENT only the SYN is out, and with Fast Open the text it carries (RFC 7413 §4.1.2).
        /\ Rec.to = "SYN-SENT" => Tcb.sndUna = Tcb.iss /\ Le(Plus(Tcb.iss, 1), Tcb.sndNxt)

LoadTcb(r) ==
    /\ iss' = r.tcb.iss
    /\ irs' = r.tcb.irs
    /\ sndUna' = r.tcb.sndUna
    /\ sndNxt' = r.tcb.sndNxt
    /\ rcvNxt' = r.tcb.rcvNxt
    /\ sndWnd' = r.tcb.sndWnd
    /\ sndWndShift' = r.tcb.sndWndShift

(***************************************************************************)
(* The behaviours: start at a trace's first record (a log may begin        *)
(* mid-connection, so its first step is checked against its own values and *)
(* every origin, Fast Open too, is tried), take its records one by one, then the next     *)
(* trace.                                                                  *)
(***************************************************************************)
Start(n) ==
    /\ t' = n
    /\ i' = 0
    /\ state' = Traces[n][1].from
    /\ passive' \in BOOLEAN
    /\ fastOpen' \in BOOLEAN
    /\ last' = "Init"
    /\ LoadTcb(Traces[n][1])
    /\ rcvHigh' = Traces[n][1].tcb.rcvNxt

TraceInit ==
    /\ t = 1
    /\ i = 0
    /\ state = Traces[1][1].from
    /\ passive \in BOOLEAN
    /\ fastOpen \in BOOLEAN
    /\ last = "Init"
    /\ iss = Traces[1][1].tcb.iss
    /\ irs = Traces[1][1].tcb.irs
    /\ sndUna = Traces[1][1].tcb.sndUna
    /\ sndNxt = Traces[1][1].tcb.sndNxt
    /\ rcvNxt = Traces[1][1].tcb.rcvNxt
    /\ sndWnd = Traces[1][1].tcb.sndWnd
    /\ sndWndShift = Traces[1][1].tcb.sndWndShift
    /\ rcvHigh = Traces[1][1].tcb.rcvNxt

\* Record i+1 of trace t: the named TcpEndpoint action from its `from` to its `to` state, and a
\* TCB change that action may make.
TraceStep ==
    /\ i < Len(Traces[t])
    /\ state = Rec.from
    /\ Next
    /\ last' = Rec.action
    /\ state' = Rec.to
    /\ Output
    /\ IssStep
    /\ IrsStep
    /\ UnaStep
    /\ RcvHighStep
    /\ RcvStep
    /\ WndStep
    /\ Sane
    /\ LoadTcb(Rec)
    /\ UNCHANGED t
    /\ i' = i + 1

NextTrace ==
    /\ i = Len(Traces[t])
    /\ t < Len(Traces)
    /\ Start(t + 1)

TraceNext == TraceStep \/ NextTrace

\* TLC reports this "invariant" violated exactly when a behaviour has matched every record of
\* every trace: a violation is the verdict "accepted". When it holds everywhere, the depth of
\* TLC's search says how far the longest match went, hence the first record no behaviour could
\* take (org.tcpspec.spec.TcbTraceValidation counts it back to a trace and a record).
TracesNotMatched == ~(t = Len(Traces) /\ i = Len(Traces[t]))
=============================================================================
