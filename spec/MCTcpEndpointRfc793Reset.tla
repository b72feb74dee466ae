--------------------- MODULE MCTcpEndpointRfc793Reset ---------------------
\* Expected to FAIL: the reading of RFC 793 that "a reset SYN-RECEIVED connection returns to
\* LISTEN" forgets RFC 9293 §3.10.7.4's condition "if this connection was initiated with a
\* passive OPEN" (and RFC 7413 §4.2.2's Fast Open, whose user holds the connection already).
\* TLC's first counterexample is the Fast Open one (PASSIVE_OPEN, ListenRcvSynFastOpen,
\* SynReceivedRcvRstExact -> CLOSED); the simultaneous open (ACTIVE_OPEN, SynSentRcvSyn) is as
\* short and also closes the connection instead.
EXTENDS TcpEndpoint

ResetAlwaysReturnsToListen == last = "SynReceivedRcvRstExact" => state = "LISTEN"
=============================================================================
