---- MODULE MCTcpSystemFastOpenDelivery ----
\* The module TLC loads for MCTcpSystemFastOpenDelivery.cfg; the constants are chosen there.
EXTENDS MCTcpSystem
====
