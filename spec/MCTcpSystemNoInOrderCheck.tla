---- MODULE MCTcpSystemNoInOrderCheck ----
\* The module TLC loads for MCTcpSystemNoInOrderCheck.cfg; the constants are chosen there.
EXTENDS MCTcpSystem
====
