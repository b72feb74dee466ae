package org.tcpspec.conformance.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;
import org.tcpspec.spec.TcbTraceStep;
import org.tcpspec.trace.TcbValues;
import org.tcpspec.trace.TraceRecord;

/** The java stack's trace records as spec's TCB trace steps (spec/TcpTcbTrace.tla), one trace per connection. */
public final class JavaTraces {
  private JavaTraces() {}

  public static TcbTraceStep step(TraceRecord r) {
    TcbValues v = r.tcb();
    return new TcbTraceStep(r.action(), r.from(), r.to(),
        r.arrival().map(a -> new TcbTraceStep.Segment(a.seq(), a.ack(), a.payloadLength(), a.syn(), a.ackFlag(),
            a.fin(), a.rst(), a.window())),
        new TcbTraceStep.Tcb(v.iss(), v.irs(), v.sndUna(), v.sndNxt(), v.rcvNxt(), v.sndWnd(), v.sndWndShift()));
  }

  /** Adds the records to {@code into}, one trace per connection, named {@code prefix + connection}. */
  public static void addByConnection(SequencedMap<String, List<TcbTraceStep>> into, String prefix,
      List<TraceRecord> records) {
    for (TraceRecord r : records) into.computeIfAbsent(prefix + r.connection(), k -> new ArrayList<>()).add(step(r));
  }
}
