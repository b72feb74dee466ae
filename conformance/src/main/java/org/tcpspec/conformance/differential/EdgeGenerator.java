package org.tcpspec.conformance.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates {@link EdgeSequence}s from a seed: the same seed, the same sequence. The generator keeps
 * a belief of the connection (RCV.NXT of the system under test as the in-order data sent so far,
 * SND.UNA and SND.NXT as the bytes it was asked to write and the ACKs sent) and picks each step's
 * numbers at that belief's edges; the belief may be wrong (a segment the system under test dropped
 * still moves it), which only moves the edges a little. The receive window's right edge is taken
 * as the 64256 bytes Linux and java advertise after this handshake (502 << 7).
 */
final class EdgeGenerator {
  /** RCV.WND after the handshake: 502 << 7 with tcp_rmem's 131072 default. */
  static final long RCV_WND = 64_256;
  /** The remote side's window, unscaled (wscale 7 in its SYN): 502 << 7 bytes. */
  static final int REMOTE_WINDOW = 502;
  static final int MAX_STEPS = 10;
  private static final long[] DELAYS_MILLIS = {0, 1, 5, 10, 10, 50, 50, 250};
  private static final int[] LENGTHS = {1, 10, 100, 1000, 1460};
  private static final int[] WRITES = {1, 100, 1460, 4000};
  private static final long ISN_NEAR_WRAP = 0xFFFF_FFFFL - 100;

  private final long seed;
  private final SplittableRandom random;
  private final boolean timestamps;
  private final long remoteIsn;
  /** The belief: script values, relative to the ISNs. */
  private long rcvNxt = 1;
  private long sndUna = 1;
  private long sndNxt = 1;
  private boolean sndFinQueued;
  private boolean closed;
  private long now = EdgeSequence.BODY_START_MILLIS;

  private EdgeGenerator(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.timestamps = random.nextInt(3) != 0;
    this.remoteIsn = random.nextInt(4) == 0 ? ISN_NEAR_WRAP : 0;
  }

  /** The sequence of {@code seed}. */
  static EdgeSequence generate(long seed) {
    return new EdgeGenerator(seed).sequence();
  }

  private EdgeSequence sequence() {
    int n = 2 + random.nextInt(MAX_STEPS - 1);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i > 0) now += DELAYS_MILLIS[random.nextInt(DELAYS_MILLIS.length)];
      steps.add(step());
    }
    return new EdgeSequence(seed, timestamps, remoteIsn, steps);
  }

  private Step step() {
    int r = random.nextInt(100);
    if (r < 18) return data(rcvNxt, "data");
    if (r < 36) return dataAtEdge();
    if (r < 54) return ackAtEdge();
    if (r < 61) return finAtEdge();
    if (r < 67) return rstAtEdge();
    if (r < 71) return synAtEdge();
    if (r < 84) return write();
    if (r < 94) return new Step.Call(now, "read", 100_000);
    if (r < 97) return shutdown();
    return close();
  }

  private Step data(long seq, String kind) {
    int length = LENGTHS[random.nextInt(LENGTHS.length)];
    delivered(seq, length);
    return inbound(kind, "P.", seq, length, sndUna, REMOTE_WINDOW);
  }

  /** Data just below, at and above RCV.NXT and the window's right edge; overlaps; duplicates. */
  private Step dataAtEdge() {
    int length = LENGTHS[random.nextInt(LENGTHS.length)];
    long seq = switch (random.nextInt(8)) {
      case 0 -> rcvNxt - length; // a duplicate of the last bytes
      case 1 -> rcvNxt - Math.max(1, length / 2); // overlaps RCV.NXT
      case 2 -> rcvNxt + 1; // a one-byte hole
      case 3 -> rcvNxt + length; // out of order, one segment ahead
      case 4 -> rcvNxt + RCV_WND - length; // ends at the right edge
      case 5 -> rcvNxt + RCV_WND - 1; // straddles the right edge
      case 6 -> rcvNxt + RCV_WND; // just beyond the window
      default -> rcvNxt - 1; // one old byte
    };
    // A script cannot write a range that wraps below the remote ISN (packetdrill's parser).
    seq = Math.max(0, seq);
    return data(seq, "data@" + offset(seq, rcvNxt));
  }

  /** ACKs around SND.UNA and SND.NXT, old and duplicate ones, with windows from zero up. */
  private Step ackAtEdge() {
    long ack = switch (random.nextInt(8)) {
      case 0 -> sndUna - 1;
      case 1, 2 -> sndUna; // a duplicate ACK
      case 3 -> sndUna + 1;
      case 4 -> sndNxt - 1;
      case 5 -> sndNxt;
      case 6 -> sndNxt + 1; // acknowledges data not sent
      default -> sndUna - 70_000; // older than the largest window seen (RFC 5961 §5.2)
    };
    int window = switch (random.nextInt(6)) {
      case 0 -> 0; // a zero window: the sender probes
      case 1 -> 1;
      default -> REMOTE_WINDOW;
    };
    String kind = "ack@" + (ack >= sndNxt ? "nxt" + offset(ack, sndNxt) : "una" + offset(ack, sndUna))
        + (window == 0 ? " win 0" : window == 1 ? " win 1" : "");
    if (ack > sndUna && ack <= sndNxt) sndUna = ack;
    return inbound(kind, ".", rcvNxt, 0, ack, window);
  }

  private Step finAtEdge() {
    long seq = rcvNxt + edge();
    int length = random.nextInt(3) == 0 ? 10 : 0;
    String kind = "fin@" + offset(seq, rcvNxt) + (length > 0 ? " with data" : "");
    if (seq == rcvNxt) rcvNxt += length + 1;
    return inbound(kind, "F.", seq, length, sndUna, REMOTE_WINDOW);
  }

  private Step rstAtEdge() {
    long seq = rcvNxt + edge();
    boolean ack = random.nextBoolean();
    return inbound("rst@" + offset(seq, rcvNxt), ack ? "R." : "R", seq, 0, sndUna, REMOTE_WINDOW);
  }

  private Step synAtEdge() {
    long seq = rcvNxt + edge();
    boolean ack = random.nextBoolean();
    return inbound("syn@" + offset(seq, rcvNxt), ack ? "S." : "S", seq, 0, sndUna, REMOTE_WINDOW);
  }

  /** An offset from RCV.NXT at an edge: -1, 0, +1, the window's right edge and either side of it. */
  private long edge() {
    return switch (random.nextInt(6)) {
      case 0 -> -1;
      case 1, 2 -> 0;
      case 3 -> 1;
      case 4 -> RCV_WND - 1;
      default -> RCV_WND;
    };
  }

  private Step write() {
    int bytes = WRITES[random.nextInt(WRITES.length)];
    if (!sndFinQueued && !closed) sndNxt += bytes;
    return new Step.Call(now, "write", bytes);
  }

  private Step shutdown() {
    if (!sndFinQueued && !closed) sndNxt += 1;
    sndFinQueued = true;
    return new Step.Call(now, "shutdown", 0);
  }

  private Step close() {
    if (!sndFinQueued && !closed) sndNxt += 1;
    closed = true;
    return new Step.Call(now, "close", 0);
  }

  private Step.Inbound inbound(String kind, String flags, long seq, int length, long ack, int window) {
    return new Step.Inbound(now, kind, flags, seq, length, ack, window, timestamp());
  }

  /**
   * The option of a segment sent now: TSval counts milliseconds (100 at the SYN), TSecr trails the
   * system under test's clock by 5 ms (scaled from the SYN-ACK's, both clocks in milliseconds); one
   * in ten is an old TSval (RFC 7323 §5, PAWS), one in twenty has no option at all.
   */
  private Step.Timestamp timestamp() {
    if (!timestamps) return new Step.Timestamp.None();
    int r = random.nextInt(20);
    if (r == 0) return new Step.Timestamp.None();
    long val = r <= 2 ? now - 1000 : now;
    long ecr = EdgeSequence.SYNACK_TSVAL + Math.max(0, now - 100 - 5);
    return new Step.Timestamp.Option(val, ecr);
  }

  /** The data moves the belief's RCV.NXT when it starts at or before it and ends inside the window. */
  private void delivered(long seq, int length) {
    long end = seq + length;
    if (seq <= rcvNxt && end > rcvNxt && end - rcvNxt <= RCV_WND) rcvNxt = end;
  }

  private static String offset(long value, long edge) {
    long d = value - edge;
    return d == 0 ? "=" : d > 0 ? "+" + d : Long.toString(d);
  }
}
