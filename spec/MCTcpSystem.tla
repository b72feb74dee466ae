------------------------- MODULE MCTcpSystem -------------------------
\* Constant definitions shared by the MCTcpSystem* models (each .cfg picks its own); no model
\* of its own.
EXTENDS TcpSystem

\* ISS near the top of the sequence space, so the streams wrap through 0 (RFC 9293 §3.4).
ISSWrap == [p \in {"A", "B"} |-> IF p = "A" THEN N - 2 ELSE N - 1]
OneUnitFromA == [p \in {"A", "B"} |-> IF p = "A" THEN 1 ELSE 0]
TwoUnitsFromA == [p \in {"A", "B"} |-> IF p = "A" THEN 2 ELSE 0]
OneUnitEach == [p \in {"A", "B"} |-> 1]
NoData == [p \in {"A", "B"} |-> 0]

\* The cookie options of a Fast Open SYN (RFC 7413 §2): TcpSystem's Cookies, or none at all.
AllCookies == {"none", "request", "valid", "invalid"}
\* One cookie option per reaction of a server without the no-cookie mode: text accepted (valid),
\* text dropped (invalid; "none" would be dropped the same way), no text, a cookie requested.
OneCookiePerOutcome == {"valid", "invalid", "request"}
NoCookies == {}

\* FairSpec without the fairness of GiveUp: a retransmission timer that never gives up
\* (RFC 9293 §3.8.3 R2 missing). Used by the model expected to fail OpenResolves.
SpecWithoutGiveUp ==
    /\ Spec
    /\ \A p \in Ends : WF_vars(Receive(p)) /\ WF_vars(Transmit(p)) /\ WF_vars(Retransmit(p))
                     /\ WF_vars(CloseTimeout(p))
=============================================================================
