package org.tcpspec.conformance.report;

import java.util.List;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.wire.SeqNum;
import org.tcpspec.wire.TcpFlags;

/**
 * A packet ladder diagram as inline SVG: the script's remote side on the left, the system under
 * test on the right, one arrow per packet in time order, labelled with time, flags, sequence
 * range, ack and window (live values) and the script line that injected or expected it.
 */
public final class Ladder {
  private Ladder() {}

  static final int WIDTH = 640;
  static final int LEFT = 90;
  static final int RIGHT = WIDTH - 90;
  static final int ROW = 30;

  public static String svg(List<PacketRecord> packets, String sut) {
    int height = 50 + ROW * Math.max(1, packets.size());
    StringBuilder b = new StringBuilder();
    b.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"monospace\" font-size=\"11\">%n", WIDTH, height));
    b.append("<defs><marker id=\"h\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" "
        + "orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#333\"/></marker></defs>\n");
    b.append(String.format("<text x=\"%d\" y=\"14\" text-anchor=\"middle\">script (192.0.2.1)</text>%n", LEFT));
    b.append(String.format("<text x=\"%d\" y=\"14\" text-anchor=\"middle\">%s (192.168.0.1)</text>%n",
        RIGHT, JUnitXml.esc(sut)));
    b.append(String.format("<line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n", LEFT, LEFT, height));
    b.append(String.format("<line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n", RIGHT, RIGHT, height));
    long t0 = packets.isEmpty() ? 0 : packets.getFirst().micros();
    int y = 40;
    for (PacketRecord p : packets) {
      int from = p.inbound() ? LEFT : RIGHT;
      int to = p.inbound() ? RIGHT : LEFT;
      String color = p.inbound() ? "#1f5fa8" : "#a83a1f";
      b.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
          + "marker-end=\"url(#h)\"/>%n", from, y, to, y + 12, color));
      b.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>%n",
          WIDTH / 2, y - 2, color, JUnitXml.esc(label(p))));
      b.append(String.format("<text x=\"4\" y=\"%d\">%.3f</text>%n", y + 8, (p.micros() - t0) / 1e6));
      b.append(String.format("<text x=\"%d\" y=\"%d\">line %d</text>%n", RIGHT + 8, y + 8, p.scriptLine()));
      y += ROW;
    }
    return b.append("</svg>\n").toString();
  }

  static String label(PacketRecord p) {
    var s = p.segment();
    StringBuilder b = new StringBuilder();
    b.append(s.flags() == 0 ? "-" : TcpFlags.toPacketdrill(s.flags())).append(' ');
    b.append(SeqNum.unsigned(s.seq())).append('(').append(s.payloadLength()).append(')');
    if (s.has(TcpFlags.ACK)) b.append(" ack ").append(SeqNum.unsigned(s.ack()));
    b.append(" win ").append(s.window());
    return b.toString();
  }
}
