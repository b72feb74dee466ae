package org.tcpspec.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * What an attacker sends, field by field: segments in the honest connection's four-tuple with
 * sequence and acknowledgment numbers at and around the edges of its windows (RFC 9293 §3.4,
 * RFC 5961 §5's SND.UNA - MAX.SND.WND), every flag combination, windows and urgent pointers at
 * their extremes, option lists that are well-formed, odd or broken (zero and one lengths, lengths
 * past the header, unknown kinds, a shift above 14, SACK blocks anywhere); and segments to the
 * listener from forged sources (SYN floods, SYN+FIN, SYN+RST, cookie guesses).
 */
final class Adversary {
  private static final int[] PAYLOAD_LENGTHS = {0, 0, 1, 10, 536, 1460};
  private static final int[] ACK_FLAG_SETS = {
    TcpFlags.ACK, TcpFlags.ACK | TcpFlags.PSH, TcpFlags.ACK | TcpFlags.FIN, TcpFlags.ACK | TcpFlags.PSH | TcpFlags.FIN,
    TcpFlags.ACK | TcpFlags.RST, TcpFlags.RST, TcpFlags.SYN, TcpFlags.SYN | TcpFlags.ACK, TcpFlags.ACK | TcpFlags.URG
  };
  private static final int[] LISTENER_FLAG_SETS = {
    TcpFlags.SYN, TcpFlags.SYN, TcpFlags.SYN, TcpFlags.SYN | TcpFlags.FIN, TcpFlags.SYN | TcpFlags.RST,
    TcpFlags.SYN | TcpFlags.ACK, TcpFlags.ACK, TcpFlags.RST, TcpFlags.FIN, TcpFlags.SYN | TcpFlags.PSH | TcpFlags.URG, 0
  };

  private final SplittableRandom rnd;

  Adversary(SplittableRandom rnd) {
    this.rnd = rnd;
  }

  /** A segment in the connection's tuple, its numbers around the windows of {@code tcb}. */
  RawPacket.Fields inConnection(RawPacket.Fields f, Tcb tcb) {
    long rcvWnd = Math.max(1, tcb.rcvWnd());
    f.seq = tcb.rcvNxt + switch (rnd.nextInt(10)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> 1;
      case 3 -> (int) rcvWnd - 1;
      case 4 -> (int) rcvWnd;
      case 5 -> -65_535;
      case 6 -> 1 << 31;
      case 7 -> rnd.nextInt();
      default -> rnd.nextInt(-3000, 3000);
    };
    int maxWnd = (int) Math.min(tcb.maxSndWnd, tcb.bytesAcked);
    f.ack = switch (rnd.nextInt(11)) {
      case 0, 1 -> tcb.sndUna;
      case 2 -> tcb.sndNxt;
      case 3 -> tcb.sndNxt + 1;
      case 4 -> tcb.sndUna - 1;
      case 5 -> tcb.sndUna - maxWnd;
      case 6 -> tcb.sndUna - maxWnd - 1;
      case 7 -> tcb.sndUna - 10_000_000;
      case 8 -> tcb.sndUna - (1 << 30);
      case 9 -> rnd.nextInt();
      default -> tcb.sndUna + rnd.nextInt(-2000, 2000);
    };
    f.flags = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : ACK_FLAG_SETS[rnd.nextInt(ACK_FLAG_SETS.length)];
    f.window = window();
    f.urgentPointer = rnd.nextInt(4) == 0 ? rnd.nextInt(65536) : 0;
    f.options = options(tcb, false);
    f.payloadLength = payloadLength();
    return f;
  }

  /** A segment to the listener from anywhere: mostly SYNs, with the odd flags and options. */
  RawPacket.Fields toListener(RawPacket.Fields f) {
    f.src = 0x0A000000 | rnd.nextInt(1 << 24);
    f.srcPort = 1 + rnd.nextInt(65535);
    f.seq = rnd.nextInt();
    f.ack = rnd.nextInt();
    f.flags = rnd.nextInt(8) == 0 ? rnd.nextInt(256) : LISTENER_FLAG_SETS[rnd.nextInt(LISTENER_FLAG_SETS.length)];
    f.window = window();
    f.urgentPointer = 0;
    f.options = options(null, true);
    f.payloadLength = rnd.nextInt(6) == 0 ? payloadLength() : 0;
    return f;
  }

  private int window() {
    return switch (rnd.nextInt(5)) {
      case 0 -> 0;
      case 1 -> 1;
      case 2 -> 65535;
      default -> rnd.nextInt(65536);
    };
  }

  private int payloadLength() {
    return rnd.nextInt(5) == 0 ? rnd.nextInt(3000) : PAYLOAD_LENGTHS[rnd.nextInt(PAYLOAD_LENGTHS.length)];
  }

  /** An option list of at most 40 bytes: sound, odd, or broken. */
  private byte[] options(Tcb tcb, boolean syn) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    int n = rnd.nextInt(5);
    for (int i = 0; i < n && o.size() < 40; i++) {
      switch (rnd.nextInt(14)) {
        case 0 -> o.write(TcpOption.KIND_NOP);
        case 1 -> o.write(TcpOption.KIND_EOL);
        case 2 -> o.writeBytes(new byte[] {TcpOption.KIND_MSS, 4, (byte) rnd.nextInt(256), (byte) rnd.nextInt(256)});
        case 3 -> o.writeBytes(new byte[] {TcpOption.KIND_WSCALE, 3, (byte) rnd.nextInt(20)});
        case 4 -> o.writeBytes(new byte[] {TcpOption.KIND_SACK_PERMITTED, 2});
        case 5, 6 -> {
          int tsVal = tcb != null && tcb.tsOk ? tcb.tsRecent + rnd.nextInt(-5, 100) : rnd.nextInt();
          o.writeBytes(new byte[] {TcpOption.KIND_TIMESTAMP, 10});
          writeInt(o, tsVal);
          writeInt(o, rnd.nextInt());
        }
        case 7 -> {
          int blocks = 1 + rnd.nextInt(4);
          o.writeBytes(new byte[] {TcpOption.KIND_SACK, (byte) (2 + 8 * blocks)});
          int base = tcb != null ? tcb.sndUna : rnd.nextInt();
          for (int b = 0; b < blocks; b++) {
            int left = base + rnd.nextInt(-1000, 200_000);
            writeInt(o, left);
            writeInt(o, left + rnd.nextInt(-10, 3000));
          }
        }
        case 8 -> o.writeBytes(new byte[] {(byte) (2 + rnd.nextInt(250)), 0}); // length 0
        case 9 -> o.writeBytes(new byte[] {(byte) rnd.nextInt(256), 1}); // length 1
        case 10 -> o.writeBytes(new byte[] {(byte) rnd.nextInt(256), (byte) (20 + rnd.nextInt(236))}); // overrun
        case 11 -> o.write(rnd.nextInt(256)); // a kind without its length byte, if last
        case 12 -> {
          byte[] junk = new byte[1 + rnd.nextInt(12)];
          rnd.nextBytes(junk);
          o.writeBytes(junk);
        }
        default -> o.writeBytes(new byte[] {(byte) (syn ? TcpOption.KIND_MSS : 30 + rnd.nextInt(200)), 2});
      }
    }
    byte[] b = o.toByteArray();
    return b.length > 40 ? java.util.Arrays.copyOf(b, 40) : b;
  }

  private static void writeInt(ByteArrayOutputStream o, int v) {
    o.write(v >>> 24);
    o.write(v >>> 16);
    o.write(v >>> 8);
    o.write(v);
  }
}
