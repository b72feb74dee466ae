package org.tcpspec.conformance.differential;

/**
 * One stimulus of a generated sequence at an absolute script time: a segment from the remote side,
 * or a socket call on the accepted socket (fd 4, non-blocking). Sequence and acknowledgment
 * numbers are script values: relative to the remote ISN and to the system under test's ISN, as
 * packetdrill writes them (a SYN's sequence number is absolute, {@link #line}).
 */
sealed interface Step {
  /** Script time in milliseconds. */
  long atMillis();

  /** What kind of stimulus, for a finding's summary ("data", "ack", "rst", "write", ...). */
  String kind();

  /** A segment from the remote side. {@code ack} is meaningful only when {@code flags} has ACK. */
  record Inbound(long atMillis, String kind, String flags, long seq, int length, long ack, int window,
      Timestamp timestamp) implements Step {

    /** The script line; {@code remoteIsn} makes a SYN's sequence number absolute. */
    String line(long remoteIsn) {
      boolean syn = flags.contains("S");
      long start = syn ? (seq + remoteIsn) & 0xFFFF_FFFFL : seq & 0xFFFF_FFFFL;
      StringBuilder b = new StringBuilder(Scripts.time(atMillis)).append(" < ").append(flags).append(' ')
          .append(start).append(':').append((start + length) & 0xFFFF_FFFFL).append('(').append(length).append(')');
      if (flags.contains(".")) b.append(" ack ").append(ack & 0xFFFF_FFFFL);
      b.append(" win ").append(window);
      if (timestamp instanceof Timestamp.Option t) {
        b.append(" <nop,nop,TS val ").append(t.val() & 0xFFFF_FFFFL).append(" ecr ").append(t.ecr()).append('>');
      }
      return b.toString();
    }
  }

  /** A socket call; its expected result comes from the reference run. */
  record Call(long atMillis, String kind, int bytes) implements Step {
    /** The script line with {@code result} ("100", "-1 EAGAIN (Resource temporarily unavailable)"). */
    String line(String result) {
      String call = switch (kind) {
        case "write" -> "write(4, ..., " + bytes + ")";
        case "read" -> "read(4, ..., " + bytes + ")";
        case "shutdown" -> "shutdown(4, SHUT_WR)";
        case "close" -> "close(4)";
        default -> throw new IllegalStateException("no call " + kind);
      };
      return Scripts.time(atMillis) + " " + call + " = " + result;
    }

    /** The result written in the stimulus script, before the reference run says what it is. */
    String guess() {
      return switch (kind) {
        case "write", "read" -> Integer.toString(bytes);
        default -> "0";
      };
    }
  }

  /** The timestamp option of an inbound segment (RFC 7323), or none. */
  sealed interface Timestamp {
    record None() implements Timestamp {}

    /** TSval as sent; TSecr a script value, scaled from the SYN-ACK's (--tcp_ts_ecr_scaled). */
    record Option(long val, long ecr) implements Timestamp {}
  }
}
