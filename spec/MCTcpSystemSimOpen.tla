---- MODULE MCTcpSystemSimOpen ----
\* The module TLC loads for MCTcpSystemSimOpen.cfg; the constants are chosen there.
EXTENDS MCTcpSystem
====
