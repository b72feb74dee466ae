---- MODULE MCTcpSystemFastOpenAckOnlySyn ----
\* The module TLC loads for MCTcpSystemFastOpenAckOnlySyn.cfg; the constants are chosen there.
EXTENDS MCTcpSystem
====
