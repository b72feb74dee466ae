package org.tcpspec.conformance.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.script.OptionNotation;
import org.tcpspec.wire.SeqNum;
import org.tcpspec.wire.TcpFlags;

/**
 * A packet ladder diagram as inline SVG: the script's remote side on the left, the system under
 * test on the right, one arrow per packet in time order. Labels read like the script: flags,
 * {@code start:end(len)}, ack and window, in script values on both sides (the remote side's
 * numbers are the script's own, the system under test's count from its ISN, {@link Origins});
 * hovering an arrow shows the absolute values, options, time and script line. Where the run stopped, the
 * arrow that did not match is drawn red with the reason, and an outbound packet that the script
 * expected but that never came is drawn dashed where it should have been. The first row that
 * differs from another system's ladder of the same script is marked, so two ladders side by side
 * show where the systems part.
 */
public final class Ladder {
  private Ladder() {}

  static final int WIDTH = 560;
  static final int LEFT = 64;
  static final int RIGHT = WIDTH - 64;
  static final int ROW = 30;
  static final int TOP = 44;

  /** The arrow head every ladder uses, defined once per page. */
  static final String DEFS = "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>"
      + "<marker id=\"arrowhead\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" orient=\"auto\">"
      + "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#333\"/></marker></defs></svg>\n";

  private static final Pattern FILE_LINE = Pattern.compile("^\\S*?:(\\d+)(?::\\d+)?: (.*)$");
  private static final Pattern MISSING = Pattern.compile("expected outbound packet (.+) at ([\\d.~]+) s; none arrived");

  /** Where a run stopped, read from its message: the script line and what went wrong there. */
  record StopPoint(int line, String reason, Optional<String> missingPacket, boolean onOutboundPacket) {

    static Optional<StopPoint> of(Verdict v) {
      String first = switch (v) {
        case Verdict.Fail f -> f.message();
        case Verdict.Error e -> e.message();
        case Verdict.Pass p -> "";
        case Verdict.Unsupported u -> "";
        case Verdict.NotAvailable n -> "";
      };
      Matcher m = FILE_LINE.matcher(first.lines().findFirst().orElse(""));
      if (!m.find()) return Optional.empty();
      String reason = m.group(2);
      Matcher missing = MISSING.matcher(reason);
      return Optional.of(new StopPoint(Integer.parseInt(m.group(1)), reason,
          missing.find() ? Optional.of(missing.group(1) + " at " + missing.group(2) + " s") : Optional.empty(),
          reason.startsWith("outbound packet")));
    }
  }

  /**
   * What sequence numbers count from, as packetdrill maps them: the remote side's are the script's
   * own (origin 0), the system under test's count from its ISN, the sequence number of its SYN or
   * SYN-ACK (origin 0, absolute, when it sent none, as in a RST to a stray segment).
   */
  record Origins(long sut) {
    static Origins of(List<PacketRecord> packets) {
      for (PacketRecord p : packets) {
        if (!p.inbound() && p.segment().has(TcpFlags.SYN)) return new Origins(SeqNum.unsigned(p.segment().seq()));
      }
      return new Origins(0);
    }

    /** A sequence number of the script's side (as is) or of the system under test's (from its ISN). */
    long seq(boolean fromScript, int seq) {
      return fromScript ? SeqNum.unsigned(seq) : SeqNum.unsigned(seq - (int) sut);
    }
  }

  /** The label of one packet: {@code S. 0:0(0) ack 1 win 65535}, sequence numbers relative. */
  static String label(PacketRecord p, Origins o) {
    var s = p.segment();
    long seq = o.seq(p.inbound(), s.seq());
    StringBuilder b = new StringBuilder();
    b.append(s.flags() == 0 ? "-" : TcpFlags.toPacketdrill(s.flags())).append(' ');
    b.append(seq).append(':').append(seq + s.payloadLength()).append('(').append(s.payloadLength()).append(')');
    if (s.has(TcpFlags.ACK)) b.append(" ack ").append(o.seq(!p.inbound(), s.ack()));
    b.append(" win ").append(s.window());
    return b.toString();
  }

  /** What hovering shows: absolute numbers, options, time and script line. */
  static String absolute(PacketRecord p, long t0) {
    var s = p.segment();
    StringBuilder b = new StringBuilder(p.inbound() ? "< " : "> ");
    b.append("absolute seq ").append(SeqNum.unsigned(s.seq()));
    if (s.has(TcpFlags.ACK)) b.append(" ack ").append(SeqNum.unsigned(s.ack()));
    b.append(" win ").append(s.window());
    if (!s.options().isEmpty()) {
      b.append(' ').append(OptionNotation.show(s.options()));
    }
    b.append(String.format(" at %.6f s", (p.micros() - t0) / 1e6));
    if (p.scriptLine() > 0) b.append(", script line ").append(p.scriptLine());
    return b.toString();
  }

  /**
   * What two systems' ladders are compared on, row by row: direction, flags, relative sequence
   * range and ack, and the script line. Not the window (Linux scales its own; the java stack
   * advertises 65535) nor the time.
   */
  static List<String> keys(List<PacketRecord> packets) {
    Origins o = Origins.of(packets);
    List<String> keys = new ArrayList<>();
    for (PacketRecord p : packets) {
      String l = label(p, o);
      keys.add((p.inbound() ? "<" : ">") + l.substring(0, l.indexOf(" win ")) + "@" + p.scriptLine());
    }
    return keys;
  }

  /** The first row where two ladders differ (one ending early counts), or empty when they are alike. */
  public static OptionalInt firstDifference(List<PacketRecord> a, List<PacketRecord> b) {
    List<String> x = keys(a);
    List<String> y = keys(b);
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      if (!x.get(i).equals(y.get(i))) return OptionalInt.of(i);
    }
    return x.size() == y.size() ? OptionalInt.empty() : OptionalInt.of(Math.min(x.size(), y.size()));
  }

  /**
   * The ladder of one cell.
   *
   * @param firstDifference the row where it parts from {@code other}'s ladder of the same script
   */
  public static String svg(Cell cell, OptionalInt firstDifference, String other) {
    List<PacketRecord> packets = cell.result().packets();
    String sut = cell.result().sut();
    Optional<StopPoint> stop = cell.status() == Cell.Status.PASS ? Optional.empty() : StopPoint.of(cell.result().verdict());
    int mismatch = stop.filter(s -> s.onOutboundPacket() && s.missingPacket().isEmpty())
        .map(s -> lastOutboundAt(packets, s.line())).orElse(-1);
    boolean extraRow = stop.isPresent() && (stop.get().missingPacket().isPresent() || mismatch < 0);
    int rows = packets.size() + (extraRow ? 1 : 0)
        + (firstDifference.isPresent() && firstDifference.getAsInt() >= packets.size() ? 1 : 0);
    int height = TOP + ROW * Math.max(1, rows);
    StringBuilder b = new StringBuilder();
    b.append(String.format("<svg class=\"ladder-svg\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
    b.append(String.format("<text x=\"%d\" y=\"14\" text-anchor=\"middle\">script 192.0.2.1</text>%n", LEFT));
    b.append(String.format("<text x=\"%d\" y=\"14\" text-anchor=\"middle\">%s 192.168.0.1</text>%n", RIGHT,
        JUnitXml.esc(sut)));
    b.append(String.format("<text x=\"4\" y=\"32\" fill=\"#777\">time s</text>%n"));
    b.append(String.format("<line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n", LEFT, LEFT, height));
    b.append(String.format("<line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n", RIGHT, RIGHT, height));
    Origins origins = Origins.of(packets);
    long t0 = packets.isEmpty() ? 0 : packets.getFirst().micros();
    int y = TOP;
    for (int i = 0; i < packets.size(); i++) {
      PacketRecord p = packets.get(i);
      boolean differs = firstDifference.isPresent() && firstDifference.getAsInt() == i;
      if (differs) difference(b, y, other);
      String cls = "packet " + (p.inbound() ? "inbound" : "outbound") + (i == mismatch ? " mismatch" : "")
          + (differs ? " first-difference" : "");
      String color = i == mismatch ? "#c62828" : p.inbound() ? "#1f5fa8" : "#a83a1f";
      b.append(String.format("<g class=\"%s\" data-line=\"%d\"><title>%s%s</title>%n", cls, p.scriptLine(),
          JUnitXml.esc(absolute(p, t0)), i == mismatch ? JUnitXml.esc("\n" + stop.orElseThrow().reason()) : ""));
      arrow(b, p.inbound(), y, color, i == mismatch ? " stroke-width=\"2.5\"" : "");
      b.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s%s</text>%n", WIDTH / 2,
          y - 2, color, i == mismatch ? "\u2717 " : "", JUnitXml.esc(label(p, origins))));
      b.append(String.format("<text x=\"4\" y=\"%d\">%.3f</text>%n", y + 8, (p.micros() - t0) / 1e6));
      if (p.scriptLine() > 0) b.append(String.format("<text x=\"%d\" y=\"%d\">l.%d</text>%n", RIGHT + 6, y + 8, p.scriptLine()));
      b.append("</g>\n");
      y += ROW;
    }
    if (firstDifference.isPresent() && firstDifference.getAsInt() >= packets.size()) {
      difference(b, y, other);
      b.append(String.format("<text class=\"first-difference\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#8a6d00\">"
          + "(no more packets here)</text>%n", WIDTH / 2, y + 4));
      y += ROW;
    }
    if (extraRow) stopRow(b, stop.get(), y);
    return b.append("</svg>\n").toString();
  }

  private static void arrow(StringBuilder b, boolean inbound, int y, String color, String extra) {
    int from = inbound ? LEFT : RIGHT;
    int to = inbound ? RIGHT : LEFT;
    b.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"%s marker-end=\"url(#arrowhead)\"/>%n",
        from, y, to, y + 12, color, extra));
  }

  private static void difference(StringBuilder b, int y, String other) {
    b.append(String.format("<rect class=\"first-difference-band\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\""
        + " fill=\"#fff3b0\"><title>first row that differs from %s</title></rect>%n", y - 14, WIDTH, ROW - 2,
        JUnitXml.esc(other)));
    b.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"#8a6d00\" font-weight=\"bold\">\u2260</text>%n", LEFT - 14, y + 4));
  }

  /** The dashed packet the script expected, or the place a call or check failed. */
  private static void stopRow(StringBuilder b, StopPoint stop, int y) {
    if (stop.missingPacket().isPresent()) {
      b.append(String.format("<g class=\"expected-missing\" data-line=\"%d\"><title>%s</title>%n", stop.line(),
          JUnitXml.esc("expected by script line " + stop.line() + ", never sent: " + stop.missingPacket().get())));
      b.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#c62828\" stroke-dasharray=\"5,4\""
          + " marker-end=\"url(#arrowhead)\"/>%n", RIGHT, y, LEFT, y + 12));
      b.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#c62828\">expected %s, none came</text>%n",
          WIDTH / 2, y - 2, JUnitXml.esc(stop.missingPacket().get().replaceFirst("^> ", ""))));
      b.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"#c62828\">l.%d</text>%n</g>%n", RIGHT + 6, y + 8, stop.line()));
    } else {
      b.append(String.format("<g class=\"stop-point\" data-line=\"%d\"><title>%s</title>%n", stop.line(),
          JUnitXml.esc(stop.reason())));
      String reason = stop.reason().length() > 70 ? stop.reason().substring(0, 69) + "\u2026" : stop.reason();
      b.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#c62828\">\u2717 l.%d: %s</text>%n</g>%n",
          WIDTH / 2, y + 4, stop.line(), JUnitXml.esc(reason)));
    }
  }

  private static int lastOutboundAt(List<PacketRecord> packets, int line) {
    for (int i = packets.size() - 1; i >= 0; i--) {
      if (!packets.get(i).inbound() && packets.get(i).scriptLine() == line) return i;
    }
    return -1;
  }
}
