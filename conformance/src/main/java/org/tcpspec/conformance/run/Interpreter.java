package org.tcpspec.conformance.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tcpspec.conformance.script.CodeBlock;
import org.tcpspec.conformance.script.EventTime;
import org.tcpspec.conformance.script.IcmpPacket;
import org.tcpspec.conformance.script.Script;
import org.tcpspec.conformance.script.ScriptEvent;
import org.tcpspec.conformance.script.ShellCommand;
import org.tcpspec.conformance.script.Syscall;
import org.tcpspec.conformance.script.TcpPacket;
import org.tcpspec.conformance.script.Unsupported;
import org.tcpspec.wire.Segment;

/**
 * Plays one script against one system under test, as packetdrill does: events in order, each at
 * its time (relative times count from the previous event), inbound packets injected, outbound
 * packets awaited and checked field by field, system calls made through {@link Syscalls}, shell
 * lines run where the system under test lives. Real-time systems get packetdrill's tolerance:
 * {@code --tolerance_usecs} (default 4 ms) or {@code --tolerance_percent} (default 12.5) of the
 * time since the previous event, whichever is larger.
 */
public final class Interpreter {

  /** How long a call without {@code ...end} may take on a real-time system before it "blocks". */
  static final long NON_BLOCKING_GRACE_MICROS = 2_000_000;
  /** How long {@code *} waits for an outbound packet. */
  static final long ANY_TIME_WAIT_MICROS = 10_000_000;
  /** How long past its deadline a real-time run still waits for a packet, to report it late. */
  static final long LATE_SLACK_MICROS = 500_000;

  private final Script script;
  private final SystemUnderTest sut;
  final ScriptSocket socket = new ScriptSocket();
  final Map<Integer, Integer> liveFdByScriptFd = new HashMap<>();
  /**
   * Script fds of sockets neither connecting nor listening, packetdrill's SOCKET_NEW: a sendto or
   * sendmsg with an address connects them (Fast Open).
   */
  final Set<Integer> newSockets = new HashSet<>();
  int lastLiveFd = -1;
  private final List<PacketRecord> packets = new ArrayList<>();
  private final List<BlockingCall> blocking = new ArrayList<>();
  /** The system under test's time at script time 0: after the init command ran. */
  private long originMicros;
  private final long toleranceMicros;
  private final double tolerancePercent;

  /** A blocking call started with {@code ...end}: checked when its end time has come. */
  private record BlockingCall(
      Syscall call, SocketCall live, SystemUnderTest.Pending pending, long endMicros, long tolMicros) {}

  /** packetdrill's default tolerance. */
  public static final long DEFAULT_TOLERANCE_MICROS = 4_000;

  public Interpreter(Script script, SystemUnderTest sut) {
    this(script, sut, DEFAULT_TOLERANCE_MICROS);
  }

  /**
   * @param defaultToleranceMicros the tolerance when the script sets no {@code
   *     --tolerance_usecs}, as packetdrill's command-line flag of that name gives it
   */
  public Interpreter(Script script, SystemUnderTest sut, long defaultToleranceMicros) {
    this.script = script;
    this.sut = sut;
    this.toleranceMicros =
        script.option("tolerance_usecs").map(Long::parseLong).orElse(defaultToleranceMicros);
    this.tolerancePercent =
        script.option("tolerance_percent").map(Double::parseDouble).orElse(12.5);
  }

  SystemUnderTest sut() {
    return sut;
  }

  Script script() {
    return script;
  }

  /** packetdrill's --tolerance_usecs, which timestamps in control messages are checked with. */
  long toleranceMicros() {
    return sut.exactTiming() ? 0 : toleranceMicros;
  }

  /** The system under test's clock at script time 0. */
  long originMicros() {
    return originMicros;
  }

  /** Runs the script; never throws. */
  public RunResult run() {
    long startNanos = System.nanoTime();
    Verdict verdict;
    if (!script.unsupported().isEmpty()) {
      verdict = new Verdict.Unsupported(
          script.unsupported().stream().map(Unsupported::feature).distinct().toList());
    } else {
      try {
        play();
        verdict = new Verdict.Pass();
      } catch (ScriptFailure f) {
        verdict = switch (f.kind) {
          case FAIL -> new Verdict.Fail(f.getMessage());
          case ERROR -> new Verdict.Error(f.getMessage());
          case UNSUPPORTED -> new Verdict.Unsupported(List.of(f.getMessage()));
        };
      } catch (UnsupportedFeature u) {
        verdict = new Verdict.Unsupported(List.of(u.feature()));
      } catch (IOException | RuntimeException e) {
        verdict = new Verdict.Error(script.file() + ": " + sut.name() + " broke: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        verdict = new Verdict.Error(script.file() + ": interrupted");
      }
    }
    long wallMillis = (System.nanoTime() - startNanos) / 1_000_000;
    return new RunResult(script.file(), sut.name(), verdict, wallMillis, packets);
  }

  private long tolerance(long sinceMicros) {
    if (sut.exactTiming()) return 0;
    return Math.max(toleranceMicros, (long) (sinceMicros * tolerancePercent / 100.0));
  }

  private void play() throws ScriptFailure, IOException, InterruptedException {
    if (script.initCommand().isPresent()) shell(script.initCommand().get());
    originMicros = sut.nowMicros();
    long base = 0;
    for (ScriptEvent e : script.events()) {
      long start = switch (e.time()) {
        case EventTime.Absolute a -> a.micros();
        case EventTime.Relative r -> base + r.micros();
        case EventTime.AnyTime a -> base;
        case EventTime.AbsoluteRange r -> r.fromMicros();
        case EventTime.RelativeRange r -> base + r.fromMicros();
      };
      long end = switch (e.time()) {
        case EventTime.Absolute a -> start;
        case EventTime.Relative r -> start;
        case EventTime.AnyTime a -> base + ANY_TIME_WAIT_MICROS;
        case EventTime.AbsoluteRange r -> r.toMicros();
        case EventTime.RelativeRange r -> base + r.toMicros();
      };
      finishBlockingCallsEndingBefore(start);
      long tol = tolerance(Math.max(0, start - base));
      base = switch (e.action()) {
        case TcpPacket p when p.direction() == TcpPacket.Direction.INBOUND -> inbound(p, start);
        case TcpPacket p -> outbound(p, start, end, tol, e.time() instanceof EventTime.AnyTime);
        case IcmpPacket p -> inboundIcmp(p, start);
        case Syscall s -> syscall(s, e.time(), base, start, tol);
        case ShellCommand c -> {
          sleepUntil(start);
          long at = Math.max(start, now());
          shell(c);
          yield at;
        }
        case CodeBlock c -> {
          sleepUntil(start);
          long at = Math.max(start, now());
          CodeAsserts.check(c, this);
          yield at;
        }
      };
    }
    finishBlockingCallsEndingBefore(Long.MAX_VALUE);
    if (script.cleanupCommand().isPresent()) shell(script.cleanupCommand().get());
  }

  private long inbound(TcpPacket p, long at) throws ScriptFailure, IOException, InterruptedException {
    sleepUntil(at);
    Segment live = socket.liveInbound(p);
    long actual = Math.max(at, sut.inject(live, ScriptSocket.liveIp(p.ip())) - originMicros);
    packets.add(new PacketRecord(actual, true, live, p.pos().line()));
    return actual;
  }

  private long inboundIcmp(IcmpPacket p, long at) throws IOException, InterruptedException {
    sleepUntil(at);
    return Math.max(at, sut.injectIcmp(socket.liveInboundIcmp(p)) - originMicros);
  }

  private long outbound(TcpPacket p, long from, long to, long tol, boolean anyTime)
      throws ScriptFailure, IOException, InterruptedException {
    long deadline = to + tol;
    // On real time, wait a little past the deadline so that a late packet is reported as late
    // (with its time) rather than as missing.
    long waitUntil = deadline + (sut.exactTiming() ? 0 : LATE_SLACK_MICROS);
    Optional<SystemUnderTest.Sniffed> first = sniff(waitUntil);
    if (first.isEmpty()) {
      throw ScriptFailure.fail(p.pos(), "expected outbound packet " + ScriptSocket.showScript(p)
          + " at " + seconds(from) + (to != from ? "~" + seconds(to) : "") + " s; none arrived");
    }
    SystemUnderTest.Sniffed s = first.get();
    packets.add(new PacketRecord(s.micros(), false, s.segment(), p.pos().line()));
    if (s.micros() > deadline) {
      throw ScriptFailure.fail(p.pos(), "outbound packet " + ScriptSocket.showScript(p)
          + ": timing: expected at " + seconds(to) + " s vs actual " + seconds(s.micros())
          + " s (tolerance " + tol + " us)");
    }
    if (!anyTime && s.micros() < from - tol) {
      throw ScriptFailure.fail(p.pos(), "outbound packet " + ScriptSocket.showScript(p)
          + ": timing: expected at " + seconds(from) + " s vs actual " + seconds(s.micros())
          + " s (tolerance " + tol + " us)");
    }
    Segment seg = s.segment();
    // TSO: the script may expect one large segment that the system under test sent as several.
    while (seg.payloadLength() < p.payloadLength() && !seg.has(org.tcpspec.wire.TcpFlags.SYN)
        && !seg.has(org.tcpspec.wire.TcpFlags.FIN) && seg.payloadLength() > 0) {
      Optional<SystemUnderTest.Sniffed> more = sniff(waitUntil);
      if (more.isEmpty()) break;
      Segment next = more.get().segment();
      packets.add(new PacketRecord(more.get().micros(), false, next, p.pos().line()));
      if (next.seq() != seg.seq() + seg.payloadLength() || next.payloadLength() == 0) {
        throw ScriptFailure.fail(p.pos(), "outbound packet " + ScriptSocket.showScript(p)
            + ": expected one segment of " + p.payloadLength() + " bytes vs actual segments "
            + seg + " then " + next);
      }
      seg = ScriptSocket.aggregate(seg, next);
    }
    socket.checkOutbound(p, seg, s.ip());
    return anyTime ? s.micros() : Math.max(from, Math.min(s.micros(), to));
  }

  private long syscall(Syscall s, EventTime time, long base, long start, long tol)
      throws ScriptFailure, IOException, InterruptedException {
    sleepUntil(start);
    long actual = Math.max(start, now());
    SocketCall call = Syscalls.build(this, s);
    SystemUnderTest.Pending pending = sut.start(call);
    if (s.endMicros().isPresent()) {
      long end = s.endMicros().getAsLong()
          + (time instanceof EventTime.Relative ? base : 0);
      if (end < start) throw ScriptFailure.error(s.pos(), "end time of blocking call before its start");
      blocking.add(new BlockingCall(s, call, pending, end, tolerance(end - start)));
      // On a real-time system the hand-off to the calling thread must not count against the
      // packets the call makes the system under test send.
      return Math.max(actual, pending.enteredMicros() - originMicros);
    }
    long grace = sut.exactTiming() ? 0 : Math.max(tol, NON_BLOCKING_GRACE_MICROS);
    Optional<SystemUnderTest.Returned> r = await(pending, actual + grace);
    if (r.isEmpty()) {
      throw ScriptFailure.fail(s.pos(), s.name() + ": expected to return at once, but it blocked"
          + " (a blocking call needs an end time: 'start...end')");
    }
    Syscalls.check(this, s, call, r.get().result());
    // When the call entered the system: on a real-time system neither the hand-off to the calling
    // thread nor a late return (the thread preempted after the call) may count against the
    // packets the call makes the system under test send.
    return Math.max(actual, pending.enteredMicros() - originMicros);
  }

  private void finishBlockingCallsEndingBefore(long micros) throws ScriptFailure, InterruptedException {
    var it = blocking.iterator();
    while (it.hasNext()) {
      BlockingCall b = it.next();
      if (b.endMicros() >= micros) continue;
      it.remove();
      Optional<SystemUnderTest.Returned> r = await(b.pending(), b.endMicros() + b.tolMicros());
      if (r.isEmpty()) {
        throw ScriptFailure.fail(b.call().pos(), b.call().name() + ": expected to return at "
            + seconds(b.endMicros()) + " s; still blocked at " + seconds(now()) + " s");
      }
      if (r.get().micros() < b.endMicros() - b.tolMicros()) {
        throw ScriptFailure.fail(b.call().pos(), b.call().name() + ": timing: expected to return at "
            + seconds(b.endMicros()) + " s vs actual " + seconds(r.get().micros()) + " s");
      }
      Syscalls.check(this, b.call(), b.live(), r.get().result());
    }
  }

  private void shell(ShellCommand c) throws ScriptFailure, IOException, InterruptedException {
    SystemUnderTest.ShellResult r = sut.shell(c.commandLine());
    if (r.exitStatus() != 0) {
      throw ScriptFailure.error(c.pos(), "command `" + c.commandLine() + "` exited with status "
          + r.exitStatus() + (r.output().isBlank() ? "" : ": " + r.output().strip()));
    }
  }

  /** Script time now. */
  private long now() {
    return sut.nowMicros() - originMicros;
  }

  private void sleepUntil(long scriptMicros) throws InterruptedException {
    sut.sleepUntil(originMicros + scriptMicros);
  }

  /** The next outbound segment by a script-time deadline, stamped in script time. */
  private Optional<SystemUnderTest.Sniffed> sniff(long scriptDeadline)
      throws IOException, InterruptedException {
    return sut.sniff(originMicros + scriptDeadline).map(s -> s.at(s.micros() - originMicros));
  }

  private Optional<SystemUnderTest.Returned> await(SystemUnderTest.Pending p, long scriptDeadline)
      throws InterruptedException {
    return p.await(originMicros + scriptDeadline).map(r ->
        new SystemUnderTest.Returned(r.micros() - originMicros, r.result()));
  }

  static String seconds(long micros) {
    return String.format("%.6f", micros / 1e6);
  }
}
