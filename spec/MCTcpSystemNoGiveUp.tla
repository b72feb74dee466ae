---- MODULE MCTcpSystemNoGiveUp ----
\* The module TLC loads for MCTcpSystemNoGiveUp.cfg; the constants are chosen there.
EXTENDS MCTcpSystem
====
