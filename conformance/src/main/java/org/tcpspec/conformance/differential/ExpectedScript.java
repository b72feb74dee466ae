package org.tcpspec.conformance.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.run.CallOutput;
import org.tcpspec.conformance.script.OptionNotation;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * Turns a sequence and the recording of its reference run into a script that expects what the
 * reference did: each step's line, then every segment the reference sent before the next step as
 * an outbound line at the time it was sent (to the millisecond; the judged run gets {@link
 * Differ#TOLERANCE_MICROS}), and each call with the result it returned. Outbound lines carry flags,
 * sequence range, ACK and options (SACK blocks in script values; TSval and TSecr are not checked,
 * as packetdrill checks them only with --tcp_ts_tick_usecs); not the window, which differs in ways
 * of each stack's buffer accounting that this generator does not aim at.
 */
final class ExpectedScript {
  private ExpectedScript() {}

  /** The script, or why the recording does not make one. */
  static Optional<String> of(EdgeSequence sequence, RecordingSut recording, String header) {
    List<RecordingSut.Entry> log = recording.log();
    long origin = recording.originMicros();
    Optional<Segment> synAck = synAck(log);
    if (synAck.isEmpty()) return Optional.empty();
    Outbound render = new Outbound(synAck.get().seq(), sequence.remoteIsn(), firstTsVal(synAck.get()));
    StringBuilder b = new StringBuilder(header);
    for (String o : sequence.options()) b.append(o).append('\n');
    b.append('\n');
    for (String l : sequence.prefix()) b.append(l).append('\n');
    int injected = 0;
    int called = 0;
    int step = -1; // the body step the entries belong to; -1 in the prefix
    long lastMillis = PREFIX_END_MILLIS;
    // Outbound times count from the stimulus before them as the reference really made it: a
    // real-time reference that injected a segment 10 ms late answered 10 ms late.
    long anchorMillis = 0;
    long anchorMicros = origin;
    List<Step> steps = new ArrayList<>(sequence.body());
    steps.add(sequence.finalRead());
    for (RecordingSut.Entry e : log) {
      switch (e) {
        case RecordingSut.Entry.Sent s -> {
          if (s.expected && step < 0) continue; // the prefix's SYN-ACK, written there
          long millis = Math.max(lastMillis, anchorMillis + Math.round((s.packet.micros() - anchorMicros) / 1000.0));
          b.append(render.line(millis, s.packet.segment())).append('\n');
          lastMillis = millis;
        }
        case RecordingSut.Entry.Injected i -> {
          injected++;
          anchorMicros = i.micros();
          anchorMillis = PREFIX_SEGMENT_MILLIS[Math.min(injected, PREFIX_SEGMENTS) - 1];
          if (injected > PREFIX_SEGMENTS) {
            step++;
            if (step >= steps.size() || !(steps.get(step) instanceof Step.Inbound in)) return Optional.empty();
            b.append(in.line(sequence.remoteIsn())).append('\n');
            anchorMillis = in.atMillis();
            lastMillis = Math.max(lastMillis, in.atMillis());
          }
        }
        case RecordingSut.Entry.Called c -> {
          called++;
          anchorMicros = c.returned().micros();
          anchorMillis = PREFIX_CALL_MILLIS[Math.min(called, EdgeSequence.PREFIX_CALLS) - 1];
          if (called > EdgeSequence.PREFIX_CALLS) {
            step++;
            if (step >= steps.size() || !(steps.get(step) instanceof Step.Call call)) return Optional.empty();
            b.append(call.line(result(c.returned().result()))).append('\n');
            anchorMillis = call.atMillis();
            lastMillis = Math.max(lastMillis, call.atMillis());
          }
        }
      }
    }
    if (step != steps.size() - 1) return Optional.empty();
    return Optional.of(b.toString());
  }

  /** Script time of the prefix's last line. */
  private static final long PREFIX_END_MILLIS = 110;

  /** A packet of a recorded run as an outbound line would expect it, for a finding's message. */
  static String describe(EdgeSequence sequence, RecordingSut recording, RecordingSut.Entry.Sent sent) {
    Optional<Segment> synAck = synAck(recording.log());
    long millis = Math.round((sent.packet.micros() - recording.originMicros()) / 1000.0);
    if (synAck.isEmpty()) return Scripts.time(millis) + " " + sent.packet.segment();
    return new Outbound(synAck.get().seq(), sequence.remoteIsn(), firstTsVal(synAck.get()))
        .line(millis, sent.packet.segment());
  }

  private static Optional<Segment> synAck(List<RecordingSut.Entry> log) {
    for (RecordingSut.Entry e : log) {
      if (e instanceof RecordingSut.Entry.Sent s && s.packet.segment().has(TcpFlags.SYN)
          && s.packet.segment().has(TcpFlags.ACK)) {
        return Optional.of(s.packet.segment());
      }
    }
    return Optional.empty();
  }

  /** The prefix's inbound segments: the SYN and the handshake's ACK. */
  private static final int PREFIX_SEGMENTS = 2;
  /** Script times of the prefix's segments and calls ({@link EdgeSequence#prefix}). */
  private static final long[] PREFIX_SEGMENT_MILLIS = {100, 110};
  private static final long[] PREFIX_CALL_MILLIS = {0, 0, 0, 0, 110, 110};

  private static long firstTsVal(Segment synAck) {
    for (TcpOption o : synAck.options()) if (o instanceof TcpOption.Timestamp t) return Integer.toUnsignedLong(t.tsVal());
    return 0;
  }

  /** A result as a script writes it: "100", "-1 EAGAIN (Resource temporarily unavailable)". */
  static String result(SysResult<CallOutput> r) {
    return r.failed() ? "-1 " + r.errno() + " (" + r.errno().description() + ")" : Long.toString(r.value());
  }

  /** Renders live outbound segments in script values, as packetdrill's mapping reads them. */
  private record Outbound(int liveIsn, long remoteIsn, long firstLiveTsVal) {
    String line(long millis, Segment live) {
      long seq = Integer.toUnsignedLong(live.seq() - liveIsn);
      int length = live.payloadLength();
      StringBuilder b = new StringBuilder(Scripts.time(millis)).append(" > ")
          .append(live.flags() == 0 ? "-" : TcpFlags.toPacketdrill(live.flags())).append(' ')
          .append(seq).append(':').append((seq + length) & 0xFFFF_FFFFL).append('(').append(length).append(')');
      // A SYN's ACK is absolute in packetdrill's mapping (the remote ISN is not subtracted).
      long remote = live.has(TcpFlags.SYN) ? 0 : remoteIsn;
      if (live.has(TcpFlags.ACK)) b.append(" ack ").append((Integer.toUnsignedLong(live.ack()) - remote) & 0xFFFF_FFFFL);
      if (!live.options().isEmpty()) b.append(' ').append(options(live.options(), remote));
      return b.toString();
    }

    /** The options in script values: SACK blocks relative to the remote ISN, TSval to the script's. */
    private String options(List<TcpOption> options, long remote) {
      List<TcpOption> inScript = options.stream().map(o -> switch (o) {
        case TcpOption.Sack s -> (TcpOption) new TcpOption.Sack(s.blocks().stream()
            .map(k -> new TcpOption.SackBlock(k.left() - (int) remote, k.right() - (int) remote)).toList());
        case TcpOption.Timestamp t ->
            new TcpOption.Timestamp((int) (EdgeSequence.SYNACK_TSVAL + Integer.toUnsignedLong(t.tsVal()) - firstLiveTsVal), t.tsEcr());
        default -> o;
      }).toList();
      return OptionNotation.showInScript(inScript).orElse("<...>");
    }
  }
}
