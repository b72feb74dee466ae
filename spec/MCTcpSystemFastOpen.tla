---- MODULE MCTcpSystemFastOpen ----
\* The module TLC loads for MCTcpSystemFastOpen.cfg; the constants are chosen there.
EXTENDS MCTcpSystem
====
