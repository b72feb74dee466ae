---- MODULE MCTcpSystemSmall ----
\* The module TLC loads for MCTcpSystemSmall.cfg; the constants are chosen there.
EXTENDS MCTcpSystem
====
