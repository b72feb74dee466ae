----------------------------- MODULE TcpTrace -----------------------------
(***************************************************************************)
(* Trace validation of the Java stack against TcpEndpoint, after the       *)
(* technique of tlaplus/Examples' ewd998/EWD998ChanTrace.tla: the          *)
(* behaviours of this module follow an implementation trace line by line, *)
(* and each step must be the TcpEndpoint action the line names, from the   *)
(* line's `from` state to its `to` state.                                  *)
(*                                                                         *)
(* The trace comes from the generated module TcpTraceData (written by      *)
(* org.tcpspec.spec.TraceValidation), whose one definition is              *)
(*   Trace == << [action |-> "...", from |-> "...", to |-> "..."], ... >>  *)
(* rather than read from NDJSON with the Community Modules, which are not  *)
(* on Maven Central.                                                       *)
(***************************************************************************)
EXTENDS TcpEndpoint, TcpTraceData, Naturals, Sequences

VARIABLE
    i   \* how many lines of the trace the behaviour has matched

traceVars == <<state, passive, fastOpen, last, i>>

\* A trace may start in any state (a log can begin mid-connection); whether the connection
\* came from LISTEN, and whether it took Fast Open text, is unknown then, so all are tried.
TraceInit ==
    /\ i = 0
    /\ state = Trace[1].from
    /\ passive \in BOOLEAN
    /\ fastOpen \in BOOLEAN
    /\ last = "Init"

\* Line i+1: the endpoint is in the line's `from` state, takes a TcpEndpoint step, and that
\* step is the named action (TcpEndpoint records it in `last`) ending in the line's `to` state.
TraceNext ==
    /\ i < Len(Trace)
    /\ state = Trace[i + 1].from
    /\ Next
    /\ last' = Trace[i + 1].action
    /\ state' = Trace[i + 1].to
    /\ i' = i + 1

\* TLC reports this "invariant" violated exactly when some behaviour has matched the whole
\* trace: a violation is the verdict "accepted". When it holds everywhere, the depth of TLC's
\* search says how far the longest match went, hence the first line no behaviour could take.
TraceNotMatched == i < Len(Trace)
=============================================================================
