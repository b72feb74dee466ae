package org.tcpspec.conformance.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.profile.EventMarks;
import org.tcpspec.conformance.script.TcpPacket;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;

/**
 * The {@link Interpreter}'s outbound packets: awaited on the system under test, passed over when
 * another socket's, aggregated from several live segments as packetdrill's do_outbound_script_packet
 * takes them, then checked against the script's packet ({@link ScriptSocket#checkOutbound}) and
 * its time.
 */
final class OutboundPackets {
  /** How long past its deadline a real-time run still waits for a packet, to report it late. */
  static final long LATE_SLACK_MICROS = 500_000;

  private final Interpreter in;
  private final SystemUnderTest sut;
  private final RunConfig config;
  private final ScriptSocket socket;
  private final ScriptClock clock;

  OutboundPackets(Interpreter in, ScriptClock clock) {
    this.in = in;
    this.sut = in.sut();
    this.config = in.config();
    this.socket = in.socket;
    this.clock = clock;
  }

  /** Awaits the script's outbound packet due between {@code from} and {@code to}; its time. */
  long outbound(TcpPacket p, long from, long to, long tol, boolean anyTime)
      throws ScriptFailure, IOException, InterruptedException {
    EventMarks.mark("outbound: wait");
    socket.expectOutbound(p);
    long deadline = to + tol;
    // On real time, wait a little past the deadline so that a late packet is reported as late
    // (with its time) rather than as missing.
    long waitUntil = deadline + (sut.exactTiming() ? 0 : LATE_SLACK_MICROS);
    // A packet due long from now (a retransmission after its timeout) lends the wait until then.
    boolean lent = clock.lendUntil(from - tol);
    Optional<SystemUnderTest.Sniffed> first = sniffOurs(p, waitUntil);
    if (lent) clock.wakes();
    if (first.isEmpty()) {
      throw ScriptFailure.fail(p.pos(), "expected outbound packet " + ScriptSocket.showScript(p)
          + " at " + Interpreter.seconds(from) + (to != from ? "~" + Interpreter.seconds(to) : "")
          + " s; none arrived");
    }
    EventMarks.mark("outbound: ours");
    socket.sniffedOutbound(p, first.get().segment());
    SystemUnderTest.Sniffed s = aggregate(p, first.get(), waitUntil);
    try {
      socket.checkOutbound(p, s.segment(), s.ip(), Math.max(config.toleranceMicros(),
          (long) (from * config.tolerancePercent() / 100.0)));
      if (s.micros() > deadline || (!anyTime && s.micros() < from - tol)) {
        throw ScriptFailure.fail(p.pos(), "outbound packet " + ScriptSocket.showScript(p)
            + ": timing: expected at " + Interpreter.seconds(s.micros() > deadline ? to : from)
            + " s vs actual " + Interpreter.seconds(s.micros()) + " s (tolerance " + tol + " us)");
      }
    } catch (ScriptFailure f) {
      if (!config.nonFatalPacket() || f.kind != ScriptFailure.Kind.FAIL) throw f;
      in.warn("warning (--non_fatal): " + f.getMessage());
    }
    EventMarks.mark("outbound: checked");
    return s.micros();
  }

  /**
   * Several live segments for one script segment, as packetdrill's do_outbound_script_packet
   * takes them (unless {@code --strict_segments}): more are sniffed while the payload falls short
   * of the script's; each must continue the one before (verify_packet_fragments), and together they
   * are the last one's header with the first one's seq and CWR bit, and the payloads in order
   * (packet.c, aggregate_packets), timed when the last was sent. A segment of another connection
   * than the fragments so far (a connect's SYN after an older socket's retransmitted SYN, both
   * pure SYNs to the script's port) drops them and starts anew, as packetdrill discards them.
   */
  private SystemUnderTest.Sniffed aggregate(TcpPacket p, SystemUnderTest.Sniffed first, long waitUntil)
      throws ScriptFailure, IOException, InterruptedException {
    List<SystemUnderTest.Sniffed> fragments = new ArrayList<>(List.of(first));
    int total = first.segment().payloadLength();
    while (total < p.payloadLength() && !config.strictSegments()) {
      Optional<SystemUnderTest.Sniffed> next = sniffOurs(p, waitUntil);
      if (next.isEmpty()) break;
      Segment previous = fragments.getLast().segment();
      Segment current = next.get().segment();
      if (!sameConnection(previous, current)) {
        int dropped = fragments.size();
        in.verbose(() -> "outbound packets of another connection dropped from the aggregate: " + dropped);
        fragments.clear();
        fragments.add(next.get());
        total = current.payloadLength();
        continue;
      }
      checkFragment(p, previous, current, total);
      fragments.add(next.get());
      total += current.payloadLength();
    }
    if (total != p.payloadLength()) {
      throw ScriptFailure.fail(p.pos(), "outbound packet: live packet payload: expected "
          + p.payloadLength() + " bytes vs actual " + total + " bytes"
          + (fragments.size() > 1 ? " in " + fragments.size() + " segments" : "")
          + "\n  script: " + ScriptSocket.showScript(p)
          + "\n  actual: " + socket.showLive(fragments.getFirst().segment()));
    }
    if (fragments.size() == 1) return fragments.getFirst();
    Segment head = fragments.getFirst().segment();
    SystemUnderTest.Sniffed lastSniffed = fragments.getLast();
    Segment last = lastSniffed.segment();
    byte[] payload = new byte[total];
    int at = 0;
    for (SystemUnderTest.Sniffed f : fragments) {
      byte[] part = f.segment().payload();
      System.arraycopy(part, 0, payload, at, part.length);
      at += part.length;
    }
    int flags = (last.flags() & ~TcpFlags.CWR) | (head.flags() & TcpFlags.CWR);
    Segment whole = new Segment(last.srcIp(), last.dstIp(), last.srcPort(), last.dstPort(),
        head.seq(), last.ack(), flags, last.window(), last.urgentPointer(), last.options(), payload);
    return new SystemUnderTest.Sniffed(lastSniffed.micros(), whole, fragments.getFirst().ip());
  }

  private static boolean sameConnection(Segment a, Segment b) {
    return a.srcIp().equals(b.srcIp()) && a.dstIp().equals(b.dstIp()) && a.srcPort() == b.srcPort()
        && a.dstPort() == b.dstPort();
  }

  /**
   * Whether {@code current} may follow {@code previous} in one aggregate: the same header but
   * for FIN, PSH and CWR, the next seq, and (unless it is the last) the same payload size.
   */
  private void checkFragment(TcpPacket p, Segment previous, Segment current, int sniffed)
      throws ScriptFailure {
    int ignored = TcpFlags.FIN | TcpFlags.PSH | TcpFlags.CWR;
    String field = null;
    Object expected = null;
    Object actual = null;
    if ((previous.flags() & ~ignored) != (current.flags() & ~ignored)) {
      field = "flags";
      expected = TcpFlags.toPacketdrill(previous.flags() & ~ignored);
      actual = TcpFlags.toPacketdrill(current.flags() & ~ignored);
    } else if (previous.seq() + previous.payloadLength() != current.seq()) {
      field = "seq";
      expected = socket.scriptSeq(previous) + previous.payloadLength();
      actual = socket.scriptSeq(current);
    } else if (previous.ack() != current.ack()) {
      field = "ack";
      expected = Integer.toUnsignedLong(previous.ack());
      actual = Integer.toUnsignedLong(current.ack());
    } else if (previous.window() != current.window()) {
      field = "win";
      expected = previous.window();
      actual = current.window();
    } else if (previous.urgentPointer() != current.urgentPointer()) {
      field = "urg";
      expected = previous.urgentPointer();
      actual = current.urgentPointer();
    } else if (previous.tcpHeaderLength() != current.tcpHeaderLength()) {
      field = "TCP header length";
      expected = previous.tcpHeaderLength();
      actual = current.tcpHeaderLength();
    } else if (current.payloadLength() < p.payloadLength() - sniffed
        && current.payloadLength() != previous.payloadLength()) {
      field = "fragment payload";
      expected = previous.payloadLength() + " bytes";
      actual = current.payloadLength() + " bytes; total payload: expected " + p.payloadLength()
          + " bytes vs actual " + (sniffed + current.payloadLength()) + " bytes";
    }
    if (field != null) {
      throw ScriptFailure.fail(p.pos(), "outbound packet: aggregate candidate: " + field
          + ": expected " + expected + " vs actual " + actual
          + "\n  script: " + ScriptSocket.showScript(p)
          + "\n  actual: " + socket.showLive(previous) + " then " + socket.showLive(current));
    }
  }

  /** The next segment of the socket under test; others are recorded and passed over. */
  private Optional<SystemUnderTest.Sniffed> sniffOurs(TcpPacket p, long scriptDeadline)
      throws IOException, InterruptedException {
    while (true) {
      Optional<SystemUnderTest.Sniffed> s = sut.sniff(clock.originMicros() + scriptDeadline)
          .map(x -> new SystemUnderTest.Sniffed(x.micros() - clock.originMicros(), x.segment(), x.ip()));
      if (s.isEmpty()) return s;
      boolean ours = socket.isOurs(s.get().segment(), p);
      in.addPacket(new PacketRecord(s.get().micros(), false, s.get().segment(), ours ? p.pos().line() : 0));
      SystemUnderTest.Sniffed seen = s.get();
      in.verbose(() -> (ours ? "outbound sniffed packet: " : "outbound packet of another socket: ")
          + Interpreter.seconds(seen.micros()) + " " + socket.showLive(seen.segment()));
      if (ours) return s;
    }
  }
}
