--------------------- MODULE MCTcpEndpointRfc793Reset ---------------------
\* Expected to FAIL: the reading of RFC 793 that "a reset SYN-RECEIVED connection returns to
\* LISTEN" forgets RFC 9293 §3.10.7.4's condition "if this connection was initiated with a
\* passive OPEN". TLC finds the simultaneous open (ACTIVE_OPEN, SynSentRcvSyn) whose RST
\* closes the connection instead.
EXTENDS TcpEndpoint

ResetAlwaysReturnsToListen == last = "SynReceivedRcvRstExact" => state = "LISTEN"
=============================================================================
