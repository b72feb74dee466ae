------------------------- MODULE MCTcpEndpoint -------------------------
\* The model TLC checks for TcpEndpoint: the whole state graph (a few hundred states), the
\* one whose -dump dot,actionlabels the Java table is compared with.
EXTENDS TcpEndpoint
=============================================================================
