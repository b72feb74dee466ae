---------------------------- MODULE TcpSystem ----------------------------
(***************************************************************************)
(* Two TCP endpoints, A and B, over a network that loses, duplicates and   *)
(* reorders segments (RFC 9293 §3.4: "the network may ... lose, duplicate  *)
(* or reorder segments").  Unlike TcpEndpoint, this module keeps the       *)
(* sequence variables of the TCB (§3.3.1: ISS, SND.UNA, SND.NXT, RCV.NXT,  *)
(* RCV.WND) as integers modulo N, so the acceptability tests of §3.4 and   *)
(* §3.10.7 are computed, and with a small N TLC exercises wraparound.      *)
(*                                                                         *)
(* Abstractions (see README.md): a segment carries at most one unit of     *)
(* sequence space (a SYN, one data unit, or a FIN) or none (pure ACK/RST); *)
(* windows are fixed; no options, no urgent data, no congestion control;   *)
(* ACKs are sent at once (no delayed ACK); out-of-order segments are       *)
(* dropped, not queued (§3.10.7.4 seventh allows either); a connection is  *)
(* opened at most once (no new incarnation, so TIME-WAIT's protection of   *)
(* a later incarnation, §3.6.1, is out of scope).                          *)
(*                                                                         *)
(* TCP Fast Open (RFC 7413): a client may OPEN with data, its SYN carrying *)
(* the first data unit and a cookie option (valid, invalid, none) or only  *)
(* a cookie request; a server that accepts the cookie delivers the SYN's   *)
(* text in SYN-RECEIVED and acknowledges it in the SYN-ACK, otherwise it   *)
(* drops the text, the SYN-ACK acknowledges only the SYN and the client    *)
(* retransmits the data.  The cookie is abstracted to its validity; the    *)
(* cookie a server grants in its SYN-ACK only matters for a later          *)
(* connection, which this model does not open.                            *)
(***************************************************************************)
EXTENDS Integers, Sequences

CONSTANTS
    N,                \* size of the sequence space (2^32 in RFC 9293 §3.4)
    ISS,              \* [endpoint -> initial send sequence number], §3.4.1
    MaxData,          \* [endpoint -> data units its user SENDs at most]
    MaxNet,           \* segments each direction of the network holds at most
    MaxRetrans,       \* retransmissions before giving up, §3.8.3 R2
    RcvWnd,           \* RCV.WND and SND.WND, fixed, §3.8.6
    Openers,          \* endpoints whose user may OPEN actively
    Listeners,        \* endpoints whose user may OPEN passively
    AllowAbort,       \* TRUE: users may ABORT (§3.10.5), sending RST
    DeliverOutOfOrder, \* FALSE as RFC 9293; TRUE only in the model expected to fail:
                      \* the receiver delivers any in-window text, not only text at RCV.NXT
    FastOpenClients,  \* endpoints whose user may OPEN with data (RFC 7413 §3)
    FastOpenCookies,  \* the cookie options a client's Fast Open SYN may carry, a subset of Cookies
    FastOpenServers,  \* listeners that accept text in a SYN with a valid cookie (RFC 7413 §4.2.2)
    FastOpenNoCookie, \* TRUE: those servers also accept a SYN's text without a cookie (Linux's
                      \* tcp_fastopen 0x200, TFO_SERVER_COOKIE_NOT_REQD)
    AckOnlyTheSyn     \* FALSE as RFC 7413; TRUE only in the model expected to fail: the server
                      \* delivers a SYN's text but its SYN-ACK acknowledges only the SYN

Ends == {"A", "B"}

\* TcpEndpoint's constant definitions (its Arrows); its variables are not used here.
Endpoint == INSTANCE TcpEndpoint WITH state <- "CLOSED", passive <- FALSE, fastOpen <- FALSE, last <- "Init"
Peer(p) == IF p = "A" THEN "B" ELSE "A"

VARIABLES
    st,         \* [endpoint -> RFC 9293 state]
    passive,    \* [endpoint -> TRUE iff the connection came from LISTEN]
    sndUna,     \* [endpoint -> SND.UNA]
    sndNxt,     \* [endpoint -> SND.NXT]
    rcvNxt,     \* [endpoint -> RCV.NXT], meaningful once the peer's SYN arrived
    sent,       \* [endpoint -> data units the user has SENT (queued), 0..MaxData]
    closing,    \* [endpoint -> TRUE iff the user called CLOSE: a FIN follows the data]
    retries,    \* [endpoint -> retransmissions since SND.UNA last advanced]
    delivered,  \* [endpoint -> sequence of data units delivered to the user]
    net         \* [endpoint -> sequence of segments on their way to it]

vars == <<st, passive, sndUna, sndNxt, rcvNxt, sent, closing, retries, delivered, net>>

States == {"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
           "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK",
           "TIME-WAIT"}

Seq32 == 0 .. N - 1   \* the sequence space, modulo N

(***************************************************************************)
(* Sequence arithmetic modulo N, RFC 9293 §3.4 ("all arithmetic dealing    *)
(* with sequence numbers must be performed modulo 2^32").                  *)
(***************************************************************************)
Plus(a, k) == (a + k) % N
Dist(a, b) == (b - a) % N                       \* how far b is ahead of a
Lt(a, b) == Dist(a, b) # 0 /\ Dist(a, b) < N \div 2
Le(a, b) == a = b \/ Lt(a, b)
InWindow(x, lo) == Dist(lo, x) < RcvWnd         \* lo =< x < lo + RCV.WND

(***************************************************************************)
(* Segments.  `ackf` is the ACK control bit; `data` is 0 or the index of   *)
(* the one data unit carried, so delivery order can be checked; `cookie`   *)
(* is the Fast Open option of a SYN (RFC 7413 §2): none, a request (the    *)
(* option without a cookie), or a cookie the server finds valid or not.    *)
(***************************************************************************)
Cookies == {"none", "request", "valid", "invalid"}

Segments == [seq : Seq32, ack : Seq32, ackf : BOOLEAN, syn : BOOLEAN, fin : BOOLEAN,
             rst : BOOLEAN, data : 0 .. 2, cookie : Cookies]

Seg(seq, ack, ackf, syn, fin, rst, data) ==
    [seq |-> seq, ack |-> ack, ackf |-> ackf, syn |-> syn, fin |-> fin, rst |-> rst,
     data |-> data, cookie |-> "none"]

\* SEG.LEN, §3.4: SYN and FIN occupy sequence space (a Fast Open SYN also carries a data unit).
SegLen(m) == (IF m.syn THEN 1 ELSE 0) + (IF m.data > 0 THEN 1 ELSE 0) + (IF m.fin THEN 1 ELSE 0)

\* p's stream: SYN at offset 0, data units 1..sent[p], then the FIN if the user closed.
StreamLen(p) == 1 + sent[p] + (IF closing[p] THEN 1 ELSE 0)
Off(p, x) == Dist(ISS[p], x)

\* The peer's SYN has arrived: RCV.NXT is set and segments carry an ACK.
Synced(p) == st[p] \notin {"CLOSED", "LISTEN", "SYN-SENT"}

\* The segment at offset o of p's stream, as (re)transmitted.
StreamSeg(p, o) ==
    Seg(Plus(ISS[p], o), IF Synced(p) THEN rcvNxt[p] ELSE 0, Synced(p), o = 0,
        closing[p] /\ o = sent[p] + 1, FALSE, IF o >= 1 /\ o <= sent[p] THEN o ELSE 0)

\* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
AckSeg(p) == Seg(sndNxt[p], rcvNxt[p], TRUE, FALSE, FALSE, FALSE, 0)

\* The RST answering a segment that belongs to no connection (§3.10.7.1, §3.10.7.2).
RstFor(m) ==
    IF m.ackf THEN Seg(m.ack, 0, FALSE, FALSE, FALSE, TRUE, 0)
    ELSE Seg(0, Plus(m.seq, SegLen(m)), TRUE, FALSE, FALSE, TRUE, 0)

\* Put at most one segment on the way to q; a full network loses it.
SendTo(q, out) ==
    net' = [net EXCEPT ![q] = IF Len(@) + Len(out) <= MaxNet THEN @ \o out ELSE @]

\* Take the head segment of net[p] and maybe answer the peer.
Consume(p, out) ==
    net' = [net EXCEPT ![p] = Tail(@),
                       ![Peer(p)] = IF Len(@) + Len(out) <= MaxNet THEN @ \o out ELSE @]

\* The TCB of a connection that is gone: no reopening (sndNxt # ISS), canonical values.
Gone(p) ==
    /\ st' = [st EXCEPT ![p] = "CLOSED"]
    /\ sndUna' = [sndUna EXCEPT ![p] = Plus(ISS[p], 1)]
    /\ sndNxt' = [sndNxt EXCEPT ![p] = Plus(ISS[p], 1)]
    /\ rcvNxt' = [rcvNxt EXCEPT ![p] = 0]
    /\ retries' = [retries EXCEPT ![p] = 0]

\* A passive connection in SYN-RECEIVED returning to LISTEN (§3.10.7.4 first and fourth).
BackToListen(p) ==
    /\ st' = [st EXCEPT ![p] = "LISTEN"]
    /\ sndUna' = [sndUna EXCEPT ![p] = ISS[p]]
    /\ sndNxt' = [sndNxt EXCEPT ![p] = ISS[p]]
    /\ rcvNxt' = [rcvNxt EXCEPT ![p] = 0]
    /\ retries' = [retries EXCEPT ![p] = 0]

\* A SYN-RECEIVED connection that took text from its SYN (RFC 7413 §4.2.2; TcpEndpoint's
\* fastOpen). No variable is needed: text is delivered in SYN-RECEIVED by Fast Open only.
FastOpened(p) == st[p] = "SYN-RECEIVED" /\ delivered[p] # <<>>

\* Where a reset or timed-out connection goes (§3.10.7.4 first: passive SYN-RECEIVED -> LISTEN,
\* unless its user holds it already by Fast Open: TcpEndpoint's SynReceivedFallback).
ResetTo(p) == IF st[p] = "SYN-RECEIVED" /\ passive[p] /\ ~FastOpened(p) THEN BackToListen(p) ELSE Gone(p)

TypeOK ==
    /\ st \in [Ends -> States]
    /\ passive \in [Ends -> BOOLEAN]
    /\ sndUna \in [Ends -> Seq32]
    /\ sndNxt \in [Ends -> Seq32]
    /\ rcvNxt \in [Ends -> Seq32]
    /\ \A p \in Ends : sent[p] \in 0 .. MaxData[p]
    /\ closing \in [Ends -> BOOLEAN]
    /\ retries \in [Ends -> 0 .. MaxRetrans]
    /\ \A p \in Ends : Len(delivered[p]) <= MaxData[Peer(p)]
    /\ \A p \in Ends : Len(net[p]) <= MaxNet /\ \A i \in 1 .. Len(net[p]) : net[p][i] \in Segments

Init ==
    /\ st = [p \in Ends |-> "CLOSED"]
    /\ passive = [p \in Ends |-> FALSE]
    /\ sndUna = ISS
    /\ sndNxt = ISS
    /\ rcvNxt = [p \in Ends |-> 0]
    /\ sent = [p \in Ends |-> 0]
    /\ closing = [p \in Ends |-> FALSE]
    /\ retries = [p \in Ends |-> 0]
    /\ delivered = [p \in Ends |-> <<>>]
    /\ net = [p \in Ends |-> <<>>]

(***************************************************************************)
(* User calls, §3.10.1 - §3.10.5.                                          *)
(***************************************************************************)
\* §3.10.1 OPEN, active: send <SEQ=ISS><CTL=SYN>, SND.UNA = ISS, SND.NXT = ISS+1.
ActiveOpen(p) ==
    /\ p \in Openers /\ st[p] = "CLOSED" /\ sndNxt[p] = ISS[p]
    /\ st' = [st EXCEPT ![p] = "SYN-SENT"]
    /\ sndNxt' = [sndNxt EXCEPT ![p] = Plus(ISS[p], 1)]
    /\ SendTo(Peer(p), <<Seg(ISS[p], 0, FALSE, TRUE, FALSE, FALSE, 0)>>)
    /\ UNCHANGED <<passive, sndUna, rcvNxt, sent, closing, retries, delivered>>

\* RFC 7413 §3, §4.2 (TcpEndpoint's ACTIVE_OPEN_FAST_OPEN): an OPEN that carries the user's
\* first data unit. With a cookie (valid or not, as the server will judge it) or none (the
\* client's no-cookie mode) the SYN carries the data; with a cookie request it does not, and the
\* data waits for ESTABLISHED. A retransmitted SYN is a plain one (StreamSeg at offset 0), as
\* Linux's tcp_send_syn_data leaves it: the data follows the handshake.
ActiveOpenFastOpen(p) ==
    /\ p \in Openers /\ p \in FastOpenClients /\ st[p] = "CLOSED" /\ sndNxt[p] = ISS[p]
    /\ MaxData[p] >= 1
    /\ \E c \in FastOpenCookies :
          LET carries == c # "request" IN
          /\ st' = [st EXCEPT ![p] = "SYN-SENT"]
          /\ sent' = [sent EXCEPT ![p] = 1]
          /\ sndNxt' = [sndNxt EXCEPT ![p] = Plus(ISS[p], IF carries THEN 2 ELSE 1)]
          /\ SendTo(Peer(p), <<[Seg(ISS[p], 0, FALSE, TRUE, FALSE, FALSE, IF carries THEN 1 ELSE 0)
                                EXCEPT !.cookie = c]>>)
    /\ UNCHANGED <<passive, sndUna, rcvNxt, closing, retries, delivered>>

\* §3.10.1 OPEN, passive.
PassiveOpen(p) ==
    /\ p \in Listeners /\ st[p] = "CLOSED" /\ sndNxt[p] = ISS[p]
    /\ st' = [st EXCEPT ![p] = "LISTEN"]
    /\ passive' = [passive EXCEPT ![p] = TRUE]
    /\ UNCHANGED <<sndUna, sndNxt, rcvNxt, sent, closing, retries, delivered, net>>

\* §3.10.2 SEND: queue one data unit; Transmit segmentizes it.
\* A Fast Open server's user holds the connection in SYN-RECEIVED and may SEND before the
\* handshake completes (RFC 7413 §4.2.2; Linux's tcp_sendmsg_locked lets tcp_passive_fastopen
\* sockets send in SYN_RECV): its data follows the SYN-ACK at once.
Send(p) ==
    /\ st[p] \in {"ESTABLISHED", "CLOSE-WAIT"} \/ FastOpened(p)
    /\ sent[p] < MaxData[p]
    /\ sent' = [sent EXCEPT ![p] = @ + 1]
    /\ UNCHANGED <<st, passive, sndUna, sndNxt, rcvNxt, closing, retries, delivered, net>>

\* §3.10.4 CLOSE: LISTEN and SYN-SENT delete the TCB; otherwise a FIN is queued after the data.
Close(p) ==
    \/ /\ st[p] \in {"LISTEN", "SYN-SENT"}
       /\ Gone(p)
       /\ UNCHANGED <<passive, sent, closing, delivered, net>>
    \/ /\ st[p] \in {"SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT"}
       /\ st' = [st EXCEPT ![p] = IF @ = "CLOSE-WAIT" THEN "LAST-ACK" ELSE "FIN-WAIT-1"]
       /\ closing' = [closing EXCEPT ![p] = TRUE]
       /\ UNCHANGED <<passive, sndUna, sndNxt, rcvNxt, sent, retries, delivered, net>>

\* §3.10.5 ABORT: synchronized states send <SEQ=SND.NXT><CTL=RST>; the TCB is deleted.
Abort(p) ==
    /\ AllowAbort /\ st[p] # "CLOSED"
    /\ Gone(p)
    /\ SendTo(Peer(p), IF st[p] \in {"SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2",
                                      "CLOSE-WAIT"}
                       THEN <<Seg(sndNxt[p], 0, FALSE, FALSE, FALSE, TRUE, 0)>> ELSE <<>>)
    /\ UNCHANGED <<passive, sent, closing, delivered>>

(***************************************************************************)
(* Sending and timers.                                                     *)
(***************************************************************************)
\* §3.8.6: send the next unit of the stream when the peer's window allows it (SND.WND is
\* RcvWnd, fixed).  The SYN was sent by OPEN (or LISTEN's SYN-ACK), so offset >= 1 here.
Transmit(p) ==
    LET o == Off(p, sndNxt[p]) IN
    /\ \/ st[p] \in {"ESTABLISHED", "CLOSE-WAIT", "FIN-WAIT-1", "CLOSING", "LAST-ACK"}
          /\ Off(p, sndUna[p]) >= 1
       \/ FastOpened(p)
    /\ o < StreamLen(p)
    /\ o - Off(p, sndUna[p]) < RcvWnd
    /\ sndNxt' = [sndNxt EXCEPT ![p] = Plus(@, 1)]
    /\ SendTo(Peer(p), <<StreamSeg(p, o)>>)
    /\ UNCHANGED <<st, passive, sndUna, rcvNxt, sent, closing, retries, delivered>>

\* §3.8.3 R1 / RFC 6298: the retransmission timer fires: resend the first unacknowledged unit.
Retransmit(p) ==
    /\ st[p] \in {"SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "CLOSE-WAIT",
                  "CLOSING", "LAST-ACK"}
    /\ sndUna[p] # sndNxt[p]
    /\ retries[p] < MaxRetrans
    /\ retries' = [retries EXCEPT ![p] = @ + 1]
    /\ SendTo(Peer(p), <<StreamSeg(p, Off(p, sndUna[p]))>>)
    /\ UNCHANGED <<st, passive, sndUna, sndNxt, rcvNxt, sent, closing, delivered>>

\* §3.8.3 R2: retransmission gives up (TcpEndpoint's SynSentTimeout, SynReceivedTimeout,
\* EstablishedTimeout, FinWait1Timeout, CloseWaitTimeout, ClosingTimeout, LastAckTimeout).
GiveUp(p) ==
    /\ st[p] \in {"SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "CLOSE-WAIT",
                  "CLOSING", "LAST-ACK"}
    /\ sndUna[p] # sndNxt[p]
    /\ retries[p] = MaxRetrans
    /\ ResetTo(p)
    /\ UNCHANGED <<passive, sent, closing, delivered, net>>

\* FinWait2Timeout (Linux tcp_fin_timeout) and TimeWaitTimeout (§3.10.8, 2 MSL). Keep-alive
\* (§3.8.4) is not modelled here, so neither is its give-up in FIN-WAIT-2
\* (TcpEndpoint's FinWait2KeepaliveTimeout, the same arrow to CLOSED with a RST).
CloseTimeout(p) ==
    /\ st[p] \in {"FIN-WAIT-2", "TIME-WAIT"}
    /\ Gone(p)
    /\ UNCHANGED <<passive, sent, closing, delivered, net>>

(***************************************************************************)
(* SEGMENT ARRIVES, §3.10.7, for the head segment m of net[p].             *)
(***************************************************************************)
\* Drop m, maybe answer; nothing else changes.
Drop(p, out) ==
    /\ Consume(p, out)
    /\ UNCHANGED <<st, passive, sndUna, sndNxt, rcvNxt, sent, closing, retries, delivered>>

\* §3.10.7.1 CLOSED: ClosedRcvRst drops, ClosedRcvSegment answers with a RST.
RcvClosed(p, m) == Drop(p, IF m.rst THEN <<>> ELSE <<RstFor(m)>>)

\* RFC 7413 §4.2.2: the listener takes the SYN's text if the cookie is valid (or it needs none).
TakesSynText(p, m) ==
    /\ p \in FastOpenServers /\ m.data > 0
    /\ (m.cookie = "valid" \/ (m.cookie = "none" /\ FastOpenNoCookie))

\* §3.10.7.2 LISTEN: ListenRcvRst, ListenRcvAck, ListenRcvSyn, ListenRcvSynFastOpen, ListenRcvOther.
\* ListenRcvSynFastOpen delivers the text at once and its SYN-ACK acknowledges it (RFC 7413
\* §4.2.2); ListenRcvSyn drops any text of the SYN (without a valid cookie the server drops the
\* data and acknowledges only the SYN, RFC 7413 §4.2.2) and the client sends it again.
RcvListen(p, m) ==
    IF m.rst THEN Drop(p, <<>>)
    ELSE IF m.ackf THEN Drop(p, <<RstFor(m)>>)
    ELSE IF m.syn THEN
        LET fo == TakesSynText(p, m)
            rcv == Plus(m.seq, IF fo /\ ~AckOnlyTheSyn THEN 2 ELSE 1) IN
        /\ st' = [st EXCEPT ![p] = "SYN-RECEIVED"]
        /\ rcvNxt' = [rcvNxt EXCEPT ![p] = rcv]
        /\ sndNxt' = [sndNxt EXCEPT ![p] = Plus(ISS[p], 1)]
        /\ delivered' = [delivered EXCEPT ![p] = IF fo THEN Append(@, m.data) ELSE @]
        /\ Consume(p, <<Seg(ISS[p], rcv, TRUE, TRUE, FALSE, FALSE, 0)>>)
        /\ UNCHANGED <<passive, sndUna, sent, closing, retries>>
    ELSE Drop(p, <<>>)

\* §3.10.7.3 SYN-SENT.
RcvSynSent(p, m) ==
    LET ackOk == Lt(sndUna[p], m.ack) /\ Le(m.ack, sndNxt[p]) IN
    IF m.ackf /\ ~ackOk
    THEN Drop(p, IF m.rst THEN <<>> ELSE <<RstFor(m)>>)            \* SynSentRcvBadAck
    ELSE IF m.rst
    THEN IF m.ackf
         THEN /\ Gone(p) /\ Consume(p, <<>>)                        \* SynSentRcvRst
              /\ UNCHANGED <<passive, sent, closing, delivered>>
         ELSE Drop(p, <<>>)                                         \* SynSentRcvRstNoAck
    ELSE IF m.syn
    THEN /\ rcvNxt' = [rcvNxt EXCEPT ![p] = Plus(m.seq, 1)]
         /\ IF m.ackf
            THEN /\ st' = [st EXCEPT ![p] = "ESTABLISHED"]          \* SynSentRcvSynAck
                 /\ sndUna' = [sndUna EXCEPT ![p] = m.ack]
                 /\ retries' = [retries EXCEPT ![p] = 0]
                 /\ Consume(p, <<Seg(sndNxt[p], Plus(m.seq, 1), TRUE, FALSE, FALSE, FALSE, 0)>>)
            ELSE /\ st' = [st EXCEPT ![p] = "SYN-RECEIVED"]         \* SynSentRcvSyn
                 /\ Consume(p, <<Seg(ISS[p], Plus(m.seq, 1), TRUE, TRUE, FALSE, FALSE, 0)>>)
                 /\ UNCHANGED <<sndUna, retries>>
         /\ UNCHANGED <<passive, sndNxt, sent, closing, delivered>>
    ELSE Drop(p, <<>>)                                              \* SynSentRcvOther

\* §3.10.7.4 sequence number check (the table of §3.10.7.4 first).
Acceptable(p, m) ==
    IF SegLen(m) = 0 THEN InWindow(m.seq, rcvNxt[p])
    ELSE InWindow(m.seq, rcvNxt[p]) \/ InWindow(Plus(m.seq, SegLen(m) - 1), rcvNxt[p])

\* §3.10.7.4 fifth to eighth for an acceptable segment with ACK: the ACK, then text, then FIN.
\* RFC 5961 §5.2 bounds the ACK below: SND.UNA - MAX.SND.WND, MAX.SND.WND being RcvWnd here (the
\* windows are fixed); an ACK before SND.UNA is old, or too old, before it can be ahead (Linux
\* tcp_ack's order).
RcvAckTextFin(p, m) ==
    LET s == st[p]
        \* fifth: SYN-RECEIVED needs SND.UNA < SEG.ACK =< SND.NXT; the others ignore old ACKs.
        newAck == Lt(sndUna[p], m.ack) /\ Le(m.ack, sndNxt[p])
        una == IF newAck THEN m.ack ELSE sndUna[p]
        finAcked == closing[p] /\ Off(p, una) = StreamLen(p)
        s1 == CASE s = "SYN-RECEIVED" -> "ESTABLISHED"
                [] s = "FIN-WAIT-1" /\ finAcked -> "FIN-WAIT-2"
                [] s = "CLOSING" /\ finAcked -> "TIME-WAIT"
                [] s = "LAST-ACK" /\ finAcked -> "CLOSED"
                [] OTHER -> s
        \* seventh and eighth: only text or FIN at RCV.NXT is taken (out-of-order is dropped).
        inOrder == m.seq = rcvNxt[p]
        takeText == m.data > 0 /\ s1 \in {"ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2"}
                    /\ (inOrder \/ DeliverOutOfOrder)
        takeFin == m.fin /\ inOrder /\ s1 # "CLOSED"
        s2 == IF ~takeFin THEN s1
              ELSE CASE s1 = "ESTABLISHED" -> "CLOSE-WAIT"
                     [] s1 = "FIN-WAIT-1" -> "CLOSING"
                     [] s1 = "FIN-WAIT-2" -> "TIME-WAIT"
                     [] OTHER -> s1
        rcv == IF takeText THEN Plus(m.seq, 1)
               ELSE IF takeFin /\ s1 \in {"ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2"}
               THEN Plus(rcvNxt[p], 1) ELSE rcvNxt[p]
        \* Text and FIN are acknowledged; a pure ACK is not.
        answer == IF s2 # "CLOSED" /\ SegLen(m) > 0 THEN <<Seg(sndNxt[p], rcv, TRUE, FALSE, FALSE, FALSE, 0)>>
                  ELSE <<>>
    IN
    IF s = "SYN-RECEIVED" /\ ~newAck
    THEN Drop(p, <<RstFor(m)>>)                                    \* SynReceivedRcvBadAck
    ELSE IF s # "SYN-RECEIVED" /\ Lt(m.ack, sndUna[p]) /\ Lt(m.ack, Plus(sndUna[p], N - RcvWnd))
    THEN Drop(p, <<AckSeg(p)>>)                                    \* <S>RcvAckTooOld: challenge ACK
    ELSE IF s # "SYN-RECEIVED" /\ ~Lt(m.ack, sndUna[p]) /\ Lt(sndNxt[p], m.ack)
    THEN Drop(p, <<AckSeg(p)>>)                                    \* <S>RcvAckAhead
    ELSE IF s2 = "CLOSED"
    THEN /\ Gone(p) /\ Consume(p, <<>>)                             \* LastAckRcvAckOfFin
         /\ UNCHANGED <<passive, sent, closing, delivered>>
    ELSE /\ st' = [st EXCEPT ![p] = s2]
         /\ sndUna' = [sndUna EXCEPT ![p] = una]
         /\ retries' = [retries EXCEPT ![p] = IF newAck THEN 0 ELSE @]
         /\ rcvNxt' = [rcvNxt EXCEPT ![p] = rcv]
         /\ delivered' = [delivered EXCEPT ![p] = IF takeText THEN Append(@, m.data) ELSE @]
         /\ Consume(p, answer)
         /\ UNCHANGED <<passive, sndNxt, sent, closing>>

\* After crossed SYNs an active opener in SYN-RECEIVED takes the peer's SYN-ACK, its SYN just
\* below RCV.NXT and its ACK our SND.NXT, as an acceptable ACK that establishes: §3.5 Figure 8
\* line 6, and Linux (tcp_validate_incoming's step 4 passes it for a socket of its own, and
\* tcp_data_queue answers the old SYN with an ACK at once). §3.10.7.4's test alone finds the SYN
\* old and drops the segment, and the connection waits for a retransmission to establish.
SynAckAfterCrossedSyns(p, m) ==
    /\ st[p] = "SYN-RECEIVED" /\ ~passive[p]
    /\ m.syn /\ m.ackf /\ ~m.rst /\ ~m.fin /\ m.data = 0
    /\ Plus(m.seq, 1) = rcvNxt[p] /\ m.ack = sndNxt[p]

\* §3.10.7.4, SYN-RECEIVED and the synchronized states.
RcvSynchronized(p, m) ==
    IF SynAckAfterCrossedSyns(p, m)
    THEN RcvAckTextFin(p, m)                                    \* SynReceivedRcvAck
    ELSE IF ~Acceptable(p, m)
    THEN Drop(p, IF m.rst THEN <<>> ELSE <<AckSeg(p)>>)      \* <S>RcvRstOutOfWindow, <S>RcvUnacceptable
    ELSE IF m.rst
    THEN IF m.seq = rcvNxt[p]                                   \* RFC 5961 §3.2
         THEN /\ ResetTo(p) /\ Consume(p, <<>>)                  \* <S>RcvRstExact
              /\ UNCHANGED <<passive, sent, closing, delivered>>
         ELSE Drop(p, <<AckSeg(p)>>)                             \* <S>RcvRstInWindow: challenge ACK
    ELSE IF m.syn
    THEN IF st[p] = "SYN-RECEIVED" /\ passive[p] /\ ~FastOpened(p)
         THEN /\ BackToListen(p) /\ Consume(p, <<>>)             \* SynReceivedRcvSyn, passive
              /\ UNCHANGED <<passive, sent, closing, delivered>>
         ELSE Drop(p, <<AckSeg(p)>>)                             \* <S>RcvSyn: RFC 5961 §4 challenge ACK
    ELSE IF ~m.ackf
    THEN Drop(p, <<>>)                                          \* <S>RcvNoAck
    ELSE RcvAckTextFin(p, m)

Receive(p) ==
    /\ net[p] # <<>>
    /\ LET m == Head(net[p]) IN
       CASE st[p] = "CLOSED" -> RcvClosed(p, m)
         [] st[p] = "LISTEN" -> RcvListen(p, m)
         [] st[p] = "SYN-SENT" -> RcvSynSent(p, m)
         [] OTHER -> RcvSynchronized(p, m)

(***************************************************************************)
(* The network, RFC 9293 §3.4: it loses, duplicates and reorders.          *)
(***************************************************************************)
Lose ==
    \E p \in Ends, i \in 1 .. MaxNet :
        /\ i <= Len(net[p])
        /\ net' = [net EXCEPT ![p] = SubSeq(@, 1, i - 1) \o SubSeq(@, i + 1, Len(@))]
        /\ UNCHANGED <<st, passive, sndUna, sndNxt, rcvNxt, sent, closing, retries, delivered>>

Duplicate ==
    \E p \in Ends, i \in 1 .. MaxNet :
        /\ i <= Len(net[p]) /\ Len(net[p]) < MaxNet
        /\ net' = [net EXCEPT ![p] = Append(@, @[i])]
        /\ UNCHANGED <<st, passive, sndUna, sndNxt, rcvNxt, sent, closing, retries, delivered>>

Reorder ==
    \E p \in Ends, i \in 1 .. MaxNet :
        /\ i < Len(net[p])
        /\ LET c == net[p] IN
           net' = [net EXCEPT ![p] = [c EXCEPT ![i] = c[i + 1], ![i + 1] = c[i]]]
        /\ UNCHANGED <<st, passive, sndUna, sndNxt, rcvNxt, sent, closing, retries, delivered>>

\* Both connections are gone and nothing is in flight: the only end of a behaviour.
Terminated == \A p \in Ends : st[p] = "CLOSED" /\ net[p] = <<>>
Done == Terminated /\ UNCHANGED vars

Protocol(p) == Receive(p) \/ Transmit(p) \/ Retransmit(p) \/ GiveUp(p) \/ CloseTimeout(p)
User(p) == ActiveOpen(p) \/ ActiveOpenFastOpen(p) \/ PassiveOpen(p) \/ Send(p) \/ Close(p) \/ Abort(p)

Next == (\E p \in Ends : Protocol(p) \/ User(p)) \/ Lose \/ Duplicate \/ Reorder \/ Done

\* The protocol's own steps are fair; the user, the network's faults and aborts are not.
Fairness == \A p \in Ends : WF_vars(Receive(p)) /\ WF_vars(Transmit(p))
                            /\ WF_vars(Retransmit(p)) /\ WF_vars(GiveUp(p))
                            /\ WF_vars(CloseTimeout(p))

Spec == Init /\ [][Next]_vars
FairSpec == Spec /\ Fairness

(***************************************************************************)
(* Invariants, one named conjunct each.                                    *)
(***************************************************************************)
\* Data arrives in order and exactly once: delivered[p] is 1, 2, ... with no gap or repeat,
\* and never more than the peer sent (§3.10.7.4 seventh; §1 "reliable ... in order").
DeliveredInOrder ==
    \A p \in Ends : \A i \in 1 .. Len(delivered[p]) : delivered[p][i] = i
DeliveredOnlySent ==
    \A p \in Ends : Len(delivered[p]) <= sent[Peer(p)]

\* §3.3.1: SND.UNA =< SND.NXT, and no more in flight than the stream holds.
SendSequenceSane ==
    \A p \in Ends : Synced(p) \/ st[p] = "SYN-SENT" =>
        /\ Le(sndUna[p], sndNxt[p])
        /\ Off(p, sndNxt[p]) <= StreamLen(p)

\* Between synchronized peers: the receiver's RCV.NXT lies in the sender's [SND.UNA, SND.NXT].
PeersAgree ==
    \A p \in Ends :
        (st[p] \in {"ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",
                    "LAST-ACK"}
         /\ Synced(Peer(p)))
        => /\ Le(sndUna[p], rcvNxt[Peer(p)])
           /\ Le(rcvNxt[Peer(p)], sndNxt[p])

\* Once the network is empty and both are ESTABLISHED with nothing in flight, each side has
\* received exactly what the other sent.
QuiescentConsistent ==
    (/\ net = [p \in Ends |-> <<>>]
     /\ \A p \in Ends : st[p] = "ESTABLISHED" /\ sndUna[p] = sndNxt[p])
    => \A p \in Ends : rcvNxt[Peer(p)] = sndNxt[p]

\* Every state change of an endpoint is an arrow of TcpEndpoint: the two models agree on the
\* shape of the state machine, so a behaviour of TcpSystem projects onto TcpEndpoint's graph.
EndpointArrowsOnly ==
    [][\A p \in Ends : st'[p] # st[p] => <<st[p], st'[p]>> \in Endpoint!Arrows]_vars

(***************************************************************************)
(* Liveness, under Fairness.                                               *)
(***************************************************************************)
\* An active open to a listener eventually establishes or fails.
OpenResolves ==
    \A p \in Ends :
        (st[p] = "SYN-SENT" /\ st[Peer(p)] = "LISTEN")
            ~> (st[p] \in {"ESTABLISHED", "CLOSED"})
\* Close on both sides eventually reaches CLOSED on both sides.
CloseCompletes ==
    (\A p \in Ends : closing[p]) ~> (\A p \in Ends : st[p] = "CLOSED")

(***************************************************************************)
(* Reachability witnesses: TLC must find these "invariants" violated; the  *)
(* counterexample is a behaviour that does what the RFC figure shows.      *)
(***************************************************************************)
\* §3.5 Figure 8: simultaneous open, both SYN-SENT -> SYN-RECEIVED -> ESTABLISHED.
NoSimultaneousOpen ==
    ~(\A p \in Ends : st[p] = "ESTABLISHED" /\ ~passive[p])
\* §3.6 Figure 13: simultaneous close, both FIN-WAIT-1 -> CLOSING -> TIME-WAIT.
NoSimultaneousClose ==
    ~(\A p \in Ends : st[p] = "CLOSING")
\* RFC 7413 §4.2.2: the server delivers the SYN's text before the handshake completes.
NoFastOpenDelivery ==
    ~(\E p \in Ends : FastOpened(p))
=============================================================================
