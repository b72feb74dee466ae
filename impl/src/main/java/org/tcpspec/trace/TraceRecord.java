package org.tcpspec.trace;

import java.util.Optional;

/**
 * One transition of one connection: the TLA+ action it mirrors, the RFC state strings before and
 * after, the segment that caused it in packetdrill notation (empty for user calls and timers) and
 * its fields ({@code arrival}), the TCB after the transition, and the virtual time it happened at.
 */
public record TraceRecord(long nowNanos, String connection, String action, String from, String to, String segment,
    Optional<SegmentFields> arrival, TcbValues tcb) {

  /** One NDJSON line (no trailing newline), keys in a fixed order so traces diff cleanly. */
  public String toJson() {
    return "{\"t\":" + nowNanos
        + ",\"conn\":" + quote(connection)
        + ",\"action\":" + quote(action)
        + ",\"from\":" + quote(from)
        + ",\"to\":" + quote(to)
        + ",\"seg\":" + quote(segment)
        + arrival.map(a -> ",\"in\":" + a.toJson()).orElse("")
        + ",\"tcb\":" + tcb.toJson() + "}";
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
