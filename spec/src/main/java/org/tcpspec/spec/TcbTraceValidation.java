package org.tcpspec.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.stream.Collectors;

/**
 * Checks implementation traces down to their TCB variables (SND.UNA, SND.NXT, RCV.NXT, SND.WND, ISS,
 * IRS) against spec/TcpTcbTrace.tla with TLC, after Cirstea et al. 2024: the traces become a
 * generated module {@code TcpTcbTraceData} and TLC explores the behaviours that follow them record
 * by record. Many traces go to one TLC run (a JVM start costs more than checking thousands of
 * records), checked one after the other; TLC stops at the first record none can take.
 */
public final class TcbTraceValidation {

  static final String TRACE_SPEC = "TcpTcbTrace.tla";
  static final String TRACE_CONFIG = "TcpTcbTrace.cfg";
  static final String DATA_MODULE = "TcpTcbTraceData";

  private TcbTraceValidation() {}

  /**
   * Checks every trace (named, e.g. by script and connection), each from its first record. Empty
   * traces are left out.
   */
  public static TcbTraceVerdict check(SequencedMap<String, List<TcbTraceStep>> traces) throws IOException {
    List<Map.Entry<String, List<TcbTraceStep>>> nonEmpty =
        traces.entrySet().stream().filter(e -> !e.getValue().isEmpty()).toList();
    int records = nonEmpty.stream().mapToInt(e -> e.getValue().size()).sum();
    if (nonEmpty.isEmpty()) {
      return new TcbTraceVerdict.Accepted(0, 0);
    }
    Path dir = ModelFiles.extract();
    try {
      Files.writeString(
          dir.resolve(DATA_MODULE + ".tla"), dataModule(nonEmpty.stream().map(Map.Entry::getValue).toList()));
      TlcResult r = Tlc.run(dir, TRACE_SPEC, TRACE_CONFIG, List.of(), line -> {});
      if (r.verdict().equals("TracesNotMatched")) {
        return new TcbTraceVerdict.Accepted(nonEmpty.size(), records);
      }
      if (!r.verdict().equals(TlcResult.SUCCESS) || r.depth() < 1) {
        throw new IOException("TLC could not check the traces: " + r.output());
      }
      return rejection(nonEmpty, r.depth());
    } finally {
      ModelFiles.deleteTree(dir);
    }
  }

  /**
   * Counts TLC's depth back to a trace and a record. The search holds (t, i) at depth 1 + the
   * sum over the traces before t of (length + 1) + i, one more per trace for the step that starts
   * it; the deepest state reached is the last record matched.
   */
  static TcbTraceVerdict.Rejected rejection(List<Map.Entry<String, List<TcbTraceStep>>> traces, int depth) {
    int rest = depth - 1;
    for (Map.Entry<String, List<TcbTraceStep>> e : traces) {
      List<TcbTraceStep> steps = e.getValue();
      if (rest < steps.size()) {
        int record = rest + 1;
        return new TcbTraceVerdict.Rejected(e.getKey(), record, reason(steps, record));
      }
      rest -= steps.size() + 1;
    }
    throw new IllegalStateException("TLC's depth " + depth + " lies beyond the traces");
  }

  private static String reason(List<TcbTraceStep> steps, int record) {
    TcbTraceStep s = steps.get(record - 1);
    String what =
        "record "
            + record
            + ": "
            + s.action()
            + " from "
            + s.from()
            + " to "
            + s.to()
            + s.segment().map(g -> " on " + show(g)).orElse("");
    if (record > 1 && !steps.get(record - 2).to().equals(s.from())) {
      return what + " starts in " + s.from() + " but record " + (record - 1) + " ended in " + steps.get(record - 2).to();
    }
    return what
        + " leaves the TCB "
        + show(s.tcb())
        + (record > 1 ? ", after " + show(steps.get(record - 2).tcb()) : "")
        + ": no step of TcpEndpoint with RFC 9293 §3.10.7's TCB changes (spec/TcpTcbTrace.tla) gives that";
  }

  private static String show(TcbTraceStep.Segment g) {
    return (g.syn() ? "S" : "")
        + (g.fin() ? "F" : "")
        + (g.rst() ? "R" : "")
        + (g.ackFlag() ? "." : "")
        + " seq "
        + Integer.toUnsignedString(g.seq())
        + " ack "
        + Integer.toUnsignedString(g.ack())
        + " len "
        + g.payloadLength()
        + " win "
        + g.window();
  }

  private static String show(TcbTraceStep.Tcb c) {
    return "[ISS "
        + Integer.toUnsignedString(c.iss())
        + ", IRS "
        + Integer.toUnsignedString(c.irs())
        + ", SND.UNA "
        + Integer.toUnsignedString(c.sndUna())
        + ", SND.NXT "
        + Integer.toUnsignedString(c.sndNxt())
        + ", RCV.NXT "
        + Integer.toUnsignedString(c.rcvNxt())
        + ", SND.WND "
        + c.sndWnd()
        + "]";
  }

  /** The generated module: one sequence of records per trace. */
  static String dataModule(List<List<TcbTraceStep>> traces) {
    List<String> seqs = new ArrayList<>();
    for (List<TcbTraceStep> trace : traces) {
      seqs.add(trace.stream().map(TcbTraceValidation::record).collect(Collectors.joining(",\n", "  <<\n", "\n  >>")));
    }
    return "---- MODULE "
        + DATA_MODULE
        + " ----\n\\* Generated by org.tcpspec.spec.TcbTraceValidation: one sequence of records per trace.\n"
        + "Traces == <<\n"
        + String.join(",\n", seqs)
        + "\n>>\n====\n";
  }

  private static final TcbTraceStep.Segment NO_SEGMENT =
      new TcbTraceStep.Segment(0, 0, 0, false, false, false, false, 0);

  private static String record(TcbTraceStep s) {
    TcbTraceStep.Segment g = s.segment().orElse(NO_SEGMENT);
    TcbTraceStep.Tcb c = s.tcb();
    return "    [action |-> "
        + literal(s.action())
        + ", from |-> "
        + literal(s.from())
        + ", to |-> "
        + literal(s.to())
        + ", hasSeg |-> "
        + bool(s.segment().isPresent())
        + ",\n     seg |-> [seq |-> "
        + seq(g.seq())
        + ", ack |-> "
        + seq(g.ack())
        + ", len |-> "
        + g.payloadLength()
        + ", wnd |-> "
        + g.window()
        + ", SYN |-> "
        + bool(g.syn())
        + ", ACK |-> "
        + bool(g.ackFlag())
        + ", FIN |-> "
        + bool(g.fin())
        + ", RST |-> "
        + bool(g.rst())
        + "],\n     tcb |-> [iss |-> "
        + seq(c.iss())
        + ", irs |-> "
        + seq(c.irs())
        + ", sndUna |-> "
        + seq(c.sndUna())
        + ", sndNxt |-> "
        + seq(c.sndNxt())
        + ", rcvNxt |-> "
        + seq(c.rcvNxt())
        + ", sndWnd |-> "
        + c.sndWnd()
        + ", sndWndShift |-> "
        + c.sndWndShift()
        + "]]";
  }

  /** A 32-bit sequence number as the module's <<high 16 bits, low 16 bits>>. */
  static String seq(int v) {
    return "<<" + (v >>> 16) + ", " + (v & 0xffff) + ">>";
  }

  private static String bool(boolean b) {
    return b ? "TRUE" : "FALSE";
  }

  private static String literal(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
