---- MODULE MCTcpSystemSimClose ----
\* The module TLC loads for MCTcpSystemSimClose.cfg; the constants are chosen there.
EXTENDS MCTcpSystem
====
