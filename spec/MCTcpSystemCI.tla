---- MODULE MCTcpSystemCI ----
\* The module TLC loads for MCTcpSystemCI.cfg; the constants are chosen there.
EXTENDS MCTcpSystem
====
