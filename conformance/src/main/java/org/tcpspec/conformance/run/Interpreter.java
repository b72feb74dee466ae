package org.tcpspec.conformance.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.profile.EventMarks;
import org.tcpspec.conformance.script.CodeBlock;
import org.tcpspec.conformance.script.EventTime;
import org.tcpspec.conformance.script.IcmpPacket;
import org.tcpspec.conformance.script.Pos;
import org.tcpspec.conformance.script.Script;
import org.tcpspec.conformance.script.ScriptEvent;
import org.tcpspec.conformance.script.ShellCommand;
import org.tcpspec.conformance.script.Syscall;
import org.tcpspec.conformance.script.TcpPacket;
import org.tcpspec.conformance.script.Unsupported;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;

/**
 * Plays one script against one system under test, as packetdrill's run.c does: events in order,
 * each at its time (relative times count from the previous event), inbound packets injected,
 * outbound packets awaited and checked field by field, system calls made through {@link
 * Syscalls}, shell lines run in the script's folder where the system under test lives, {@code %{
 * }%} blocks collected and run in python3 at the end. A call with an end time ({@code
 * 0...0.2 accept(...)}) blocks: as packetdrill's system call thread does, it runs while the
 * following events happen (so the packet that completes it gets injected), and is checked when it
 * returns; one blocking call at a time. Real-time systems get packetdrill's tolerance: {@code
 * --tolerance_usecs} or {@code --tolerance_percent} of the time since the previous event, whichever
 * is larger.
 */
public final class Interpreter {

  /** How long a call without {@code ...end} may take on a real-time system before it "blocks". */
  static final long NON_BLOCKING_GRACE_MICROS = 2_000_000;
  /** How long {@code *} waits for an outbound packet. */
  static final long ANY_TIME_WAIT_MICROS = 10_000_000;
  /** How long past its deadline a real-time run still waits for a packet, to report it late. */
  static final long LATE_SLACK_MICROS = 500_000;
  /**
   * How long a system call, and the end of the script, wait for a blocking call to return
   * (run_system_call.c, await_idle_thread).
   */
  static final long IDLE_WAIT_MICROS = 1_000_000;

  /** packetdrill's default tolerance. */
  public static final long DEFAULT_TOLERANCE_MICROS = 4_000;

  private final Script script;
  private final SystemUnderTest sut;
  private final RunConfig config;
  private final String variant;
  /** Where shell lines and python run: the script's folder, as run_all.py runs packetdrill. */
  private final Path directory;
  final ScriptSocket socket;
  final Map<Integer, Integer> liveFdByScriptFd = new HashMap<>();
  /**
   * Script fds of sockets neither connecting nor listening, packetdrill's SOCKET_NEW: a sendto or
   * sendmsg with an address connects them (Fast Open).
   */
  final Set<Integer> newSockets = new HashSet<>();
  private final List<PacketRecord> packets = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final PythonCode python = new PythonCode();
  /** The call packetdrill's system call thread would be running. */
  private Optional<BlockingCall> blocking = Optional.empty();
  /** When the event being played is due; its handler checks its start against it. */
  private StartWindow due = StartWindow.NONE;
  /** The system under test's time at script time 0: after the init command ran. */
  private long originMicros;
  private boolean initCommandRan;
  private final IdleOverlap.Cell cell;

  /** A call started with {@code ...end}: checked when it returns. */
  private record BlockingCall(
      Syscall call, SocketCall live, SystemUnderTest.Pending pending, long startMicros, long endMicros) {}

  public Interpreter(Script script, SystemUnderTest sut, RunConfig config) {
    this(script, sut, config, "", IdleOverlap.NONE);
  }

  /**
   * @param variant the address-family variant the run is, for the report ("" for none)
   * @param cell where the run says when it sleeps on a long timer, so that other cells may use the
   *     time ({@link IdleOverlap})
   */
  public Interpreter(Script script, SystemUnderTest sut, RunConfig config, String variant, IdleOverlap.Cell cell) {
    this.script = script;
    this.sut = sut;
    this.config = config;
    this.variant = variant;
    this.cell = cell;
    this.directory = Path.of(script.file()).toAbsolutePath().normalize().getParent();
    this.socket = new ScriptSocket(config);
  }

  SystemUnderTest sut() {
    return sut;
  }

  RunConfig config() {
    return config;
  }

  /** packetdrill's --tolerance_usecs, which timestamps in control messages are checked with. */
  long toleranceMicros() {
    return exact() ? 0 : config.toleranceMicros();
  }

  /**
   * Whether times are checked exactly: on a system under test with virtual time unless the script
   * or the command line asks for a tolerance (scripts written against Linux, as google/packetdrill's,
   * rely on packetdrill's: their authors wrote {@code +.001} where the kernel answers at once).
   */
  private boolean exact() {
    return sut.exactTiming() && !config.toleranceGiven();
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
        verdict = new Verdict.Pass(warnings);
      } catch (ScriptFailure f) {
        cleanUpAfterFailure();
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
    return new RunResult(script.file(), sut.name(), verdict, wallMillis, packets, sut.notes(), variant);
  }

  private long tolerance(long sinceMicros) {
    if (exact()) return 0;
    return Math.max(config.toleranceMicros(), (long) (sinceMicros * config.tolerancePercent() / 100.0));
  }

  /**
   * The window packetdrill would check this event's start against (run.c, check_event_time): on
   * real time only, not for outbound packets (checked when they come) nor {@code *} times. A
   * relative time counts from when the event was taken up, as adjust_relative_event_times has it.
   */
  private StartWindow startWindow(ScriptEvent e, long start, long end, long tol, long base, long takenUp) {
    if (sut.exactTiming() || e.time() instanceof EventTime.AnyTime) return StartWindow.NONE;
    String what = switch (e.action()) {
      case TcpPacket p when p.direction() == TcpPacket.Direction.INBOUND -> "inbound packet";
      case TcpPacket p -> null;
      case IcmpPacket p -> "inbound packet";
      case Syscall s -> "system call start";
      case ShellCommand c -> "command";
      case CodeBlock c -> "data collection for code";
    };
    if (what == null) return StartWindow.NONE;
    boolean relative = e.time() instanceof EventTime.Relative || e.time() instanceof EventTime.RelativeRange;
    long shift = relative ? takenUp - base : 0;
    return new StartWindow(e.pos(), what, e.time(), start + shift, end + shift, tol, base + shift);
  }

  private void play() throws ScriptFailure, IOException, InterruptedException {
    if (script.events().stream().anyMatch(e -> e.action() instanceof CodeBlock c && !c.text().isBlank())
        && PythonCode.whyUnavailable().isPresent()) {
      throw ScriptFailure.unsupported(PythonCode.whyUnavailable().get());
    }
    Pos header = new Pos(script.file(), 1, 1);
    for (String command : config.initScripts()) {
      SystemUnderTest.ShellResult r = sut.shell(command, directory);
      if (r.exitStatus() != 0) {
        throw ScriptFailure.error(header, "error executing init script '" + command
            + "': non-zero status " + r.exitStatus() + output(r));
      }
    }
    if (script.initCommand().isPresent()) {
      shell(script.initCommand().get());
      initCommandRan = true;
    }
    originMicros = sut.scriptStartMicros();
    // As packetdrill's adjust_relative_event_times: a relative time counts from when the event
    // before it finished (its packet's time, its call's return, its command's end), except that an
    // inbound packet after an inbound packet counts from that packet's script time, so that a
    // train of injected packets keeps its spacing. A blocking call counts from the moment the
    // interpreter takes it up (packetdrill's now_usecs), as the events after it count from the
    // call's start: its end and the packets that end it share that base even when the interpreter
    // took up the call milliseconds after the packets before it were sent (gtests notsent_lowat:
    // a poll whose POLLOUT comes with the fourth ACK 40 ms after the call).
    long base = 0;
    long lastStart = 0;
    boolean lastInbound = false;
    boolean first = true;
    for (ScriptEvent e : script.events()) {
      reapBlockingCall(0);
      boolean inboundNow = isInboundPacket(e);
      boolean anchored = lastInbound && inboundNow;
      if (anchored) base = lastStart;
      if (!sut.exactTiming() && e.action() instanceof Syscall s && s.endMicros().isPresent()) base = Math.max(base, now());
      long takenUp = anchored || sut.exactTiming() ? base : Math.max(base, now());
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
      long tol = tolerance(Math.max(0, start - base));
      due = first ? StartWindow.NONE : startWindow(e, start, end, tol, base, takenUp);
      first = false;
      base = switch (e.action()) {
        case TcpPacket p when p.direction() == TcpPacket.Direction.INBOUND -> inbound(p, start);
        case TcpPacket p -> outbound(p, start, end, tol, e.time() instanceof EventTime.AnyTime);
        case IcmpPacket p -> inboundIcmp(p, start);
        case Syscall s -> syscall(s, e.time(), base, start, tol);
        case ShellCommand c -> {
          sleepUntil(start);
          due.check(now());
          shell(c);
          yield Math.max(start, now());
        }
        case CodeBlock c -> {
          sleepUntil(start);
          due.check(now());
          // A blocking accept that returned meanwhile has made its socket the one under test, as
          // packetdrill's call thread does on return.
          reapBlockingCall(0);
          python.add(e.pos(), socketTcpInfo(c), socketMeminfo(c), c.text());
          yield Math.max(start, now());
        }
      };
      lastStart = start;
      lastInbound = inboundNow;
    }
    reapBlockingCall(0);
    if (initCommandRan && script.cleanupCommand().isPresent()) shell(script.cleanupCommand().get());
    if (!python.isEmpty()) verbose(() -> "python3 program:\n" + python.program());
    Optional<String> pythonFailure = python.execute(script.file(), directory);
    if (pythonFailure.isPresent()) throw new ScriptFailure(ScriptFailure.Kind.FAIL, pythonFailure.get());
    if (blocking.isPresent() && !reapBlockingCall(IDLE_WAIT_MICROS)) {
      throw ScriptFailure.fail(blocking.get().call().pos(),
          "runtime error: exiting while a blocking system call is in progress");
    }
  }

  /**
   * The tcp_info a {@code %{ }%} block sees: the socket under test's (code.c, run_code_event);
   * a connection not accepted yet has none.
   */
  private TcpInfo socketTcpInfo(CodeBlock c) throws ScriptFailure {
    if (socket.liveFd < 0) {
      throw ScriptFailure.error(c.pos(), "runtime error in code: can't find getsockopt to get TCP info");
    }
    return sut.tcpInfo(socket.liveFd).orElseThrow(() -> sut.exactTiming()
        ? ScriptFailure.unsupported("tcp_info on " + sut.name())
        : ScriptFailure.error(c.pos(), "runtime error in code: can't find getsockopt to get TCP info"));
  }

  /**
   * The SO_MEMINFO counters a {@code %{ }%} block sees (code.c takes them after the tcp_info); a
   * block that reads them on a system under test without them is unsupported there.
   */
  private Optional<long[]> socketMeminfo(CodeBlock c) throws ScriptFailure {
    Optional<long[]> m = sut.skMeminfo(socket.liveFd);
    if (m.isEmpty() && c.text().contains("SK_MEMINFO_")) {
      throw ScriptFailure.unsupported("SO_MEMINFO on " + sut.name());
    }
    return m;
  }

  /** packetdrill runs the cleanup command also when the script failed (logging.c, die). */
  private void cleanUpAfterFailure() {
    if (!initCommandRan || script.cleanupCommand().isEmpty()) return;
    try {
      sut.shell(script.cleanupCommand().get().commandLine(), directory);
    } catch (IOException | RuntimeException e) {
      // The run's own failure is what the report shows.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Injects the packet at its time. It is built before the wait (nothing changes the socket's state
   * while the interpreter waits), so that only the write is left when the time comes: building it
   * took 0.05 to 2 ms on a JVM not warm yet, and every later relative time moved with it.
   */
  private long inbound(TcpPacket p, long at) throws ScriptFailure, IOException, InterruptedException {
    EventMarks.mark("inbound: build");
    Segment live = socket.liveInbound(p);
    EventMarks.mark("inbound: built");
    boolean lent = lendUntil(at);
    long injected = sut.injectAt(live, ScriptSocket.liveIp(p.ip()), originMicros + at);
    if (lent) cell.wakes();
    due.check(injected - originMicros);
    long actual = Math.max(at, injected - originMicros);
    packets.add(new PacketRecord(actual, true, live, p.pos().line()));
    EventMarks.mark("inbound: recorded");
    verbose(() -> "inbound injected packet: " + seconds(actual) + " " + ScriptSocket.showScript(p));
    return actual;
  }

  private long inboundIcmp(IcmpPacket p, long at) throws ScriptFailure, IOException, InterruptedException {
    byte[] live = socket.liveInboundIcmp(p);
    sleepUntil(at);
    long injected = sut.injectIcmp(live) - originMicros;
    due.check(injected);
    return Math.max(at, injected);
  }

  private long outbound(TcpPacket p, long from, long to, long tol, boolean anyTime)
      throws ScriptFailure, IOException, InterruptedException {
    EventMarks.mark("outbound: wait");
    socket.expectOutbound(p);
    long deadline = to + tol;
    // On real time, wait a little past the deadline so that a late packet is reported as late
    // (with its time) rather than as missing.
    long waitUntil = deadline + (sut.exactTiming() ? 0 : LATE_SLACK_MICROS);
    // A packet due long from now (a retransmission after its timeout) lends the wait until then.
    boolean lent = lendUntil(from - tol);
    Optional<SystemUnderTest.Sniffed> first = sniffOurs(p, waitUntil);
    if (lent) cell.wakes();
    if (first.isEmpty()) {
      throw ScriptFailure.fail(p.pos(), "expected outbound packet " + ScriptSocket.showScript(p)
          + " at " + seconds(from) + (to != from ? "~" + seconds(to) : "") + " s; none arrived");
    }
    EventMarks.mark("outbound: ours");
    socket.sniffedOutbound(p, first.get().segment());
    SystemUnderTest.Sniffed s = aggregate(p, first.get(), waitUntil);
    try {
      socket.checkOutbound(p, s.segment(), s.ip(), Math.max(config.toleranceMicros(),
          (long) (from * config.tolerancePercent() / 100.0)));
      if (s.micros() > deadline || (!anyTime && s.micros() < from - tol)) {
        throw ScriptFailure.fail(p.pos(), "outbound packet " + ScriptSocket.showScript(p)
            + ": timing: expected at " + seconds(s.micros() > deadline ? to : from) + " s vs actual "
            + seconds(s.micros()) + " s (tolerance " + tol + " us)");
      }
    } catch (ScriptFailure f) {
      if (!config.nonFatalPacket() || f.kind != ScriptFailure.Kind.FAIL) throw f;
      warnings.add("warning (--non_fatal): " + f.getMessage());
    }
    EventMarks.mark("outbound: checked");
    return s.micros();
  }

  /** An inbound packet, whose time anchors the next inbound one (is_event_start_time_anchored). */
  private static boolean isInboundPacket(ScriptEvent e) {
    return e.action() instanceof IcmpPacket
        || e.action() instanceof TcpPacket p && p.direction() == TcpPacket.Direction.INBOUND;
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
        verbose(() -> "outbound packets of another connection dropped from the aggregate: " + dropped);
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
      Optional<SystemUnderTest.Sniffed> s = sut.sniff(originMicros + scriptDeadline)
          .map(x -> new SystemUnderTest.Sniffed(x.micros() - originMicros, x.segment(), x.ip()));
      if (s.isEmpty()) return s;
      boolean ours = socket.isOurs(s.get().segment(), p);
      packets.add(new PacketRecord(s.get().micros(), false, s.get().segment(), ours ? p.pos().line() : 0));
      SystemUnderTest.Sniffed seen = s.get();
      verbose(() -> (ours ? "outbound sniffed packet: " : "outbound packet of another socket: ")
          + seconds(seen.micros()) + " " + socket.showLive(seen.segment()));
      if (ours) return s;
    }
  }

  private long syscall(Syscall s, EventTime time, long base, long start, long tol)
      throws ScriptFailure, IOException, InterruptedException {
    EventMarks.mark("call: start");
    boolean blockingCall = s.endMicros().isPresent();
    if (blocking.isPresent() && !reapBlockingCall(IDLE_WAIT_MICROS) && blockingCall) {
      throw ScriptFailure.error(s.pos(), "runtime error in " + s.name() + " call: blocking system call"
          + " while another blocking system call is already in progress");
    }
    // Built before the wait: the script's state changes only on this thread, and at the call's time
    // only the call is left to make (see inbound).
    SocketCall call = Syscalls.build(this, s);
    if (blockingCall) {
      long end = s.endMicros().getAsLong() + (time instanceof EventTime.Relative ? base : 0);
      if (end < start) throw ScriptFailure.error(s.pos(), "end time of blocking call before its start");
      SystemUnderTest.Pending pending = sut.startAt(call, originMicros + start);
      sleepUntil(start);
      long actual = Math.max(start, now());
      due.check(actual);
      blocking = Optional.of(new BlockingCall(s, call, pending, start, end));
      // When the call entered the system: on a real-time system the hand-off to the calling
      // thread may not count against the packets the call makes the system under test send.
      return Math.max(actual, pending.enteredMicros() - originMicros);
    }
    EventMarks.mark("call: built");
    sleepUntil(start);
    EventMarks.mark("call: due");
    long actual = Math.max(start, now());
    due.check(actual);
    long grace = sut.exactTiming() ? 0 : Math.max(tol, NON_BLOCKING_GRACE_MICROS);
    Optional<SystemUnderTest.Returned> r = sut.callAtOnce(call, grace)
        .map(x -> new SystemUnderTest.Returned(x.micros() - originMicros, x.result()));
    if (r.isEmpty()) {
      throw ScriptFailure.fail(s.pos(), s.name() + ": expected to return at once, but it blocked"
          + " (a blocking call needs an end time: 'start...end')");
    }
    EventMarks.mark("call: returned");
    verbose(() -> s.name() + " syscall: " + seconds(r.get().micros()));
    checkCall(s, call, r.get().result());
    EventMarks.mark("call: checked");
    return Math.max(actual, r.get().micros());
  }

  /**
   * Checks the blocking call if it has returned, waiting at most {@code waitMicros}: its return
   * time against its end time (with the tolerance of its duration, as the system call thread's
   * verify_time has it), then its result. Returns whether no blocking call is left.
   */
  private boolean reapBlockingCall(long waitMicros) throws ScriptFailure, InterruptedException {
    if (blocking.isEmpty()) return true;
    BlockingCall b = blocking.get();
    Optional<SystemUnderTest.Returned> r = await(b.pending(), now() + waitMicros);
    if (r.isEmpty()) return false;
    blocking = Optional.empty();
    long tol = tolerance(b.endMicros() - b.startMicros());
    long returned = r.get().micros();
    verbose(() -> b.call().name() + " syscall returned: " + seconds(returned));
    if (returned < b.endMicros() - tol || returned > b.endMicros() + tol) {
      throw ScriptFailure.fail(b.call().pos(), b.call().name() + ": timing: expected to return at "
          + seconds(b.endMicros()) + " s vs actual " + seconds(returned) + " s (tolerance " + tol + " us)");
    }
    checkCall(b.call(), b.live(), r.get().result());
    return true;
  }

  private void checkCall(Syscall s, SocketCall call, org.tcpspec.abi.SysResult<CallOutput> result)
      throws ScriptFailure {
    try {
      Syscalls.check(this, s, call, result);
    } catch (ScriptFailure f) {
      if (!config.nonFatalSyscall() || f.kind != ScriptFailure.Kind.FAIL) throw f;
      warnings.add("warning (--non_fatal): " + f.getMessage());
    }
  }

  private void shell(ShellCommand c) throws ScriptFailure, IOException, InterruptedException {
    SystemUnderTest.ShellResult r = sut.shell(c.commandLine(), directory);
    verbose(() -> "command `" + c.commandLine() + "`: exit " + r.exitStatus() + output(r));
    if (r.exitStatus() != 0) {
      throw ScriptFailure.error(c.pos(), "command `" + c.commandLine() + "` exited with status "
          + r.exitStatus() + output(r));
    }
  }

  private static String output(SystemUnderTest.ShellResult r) {
    return r.output().isBlank() ? "" : ": " + r.output().strip();
  }

  /**
   * With {@code --verbose}, a line of what happens, as packetdrill -v prints it; made only then,
   * since formatting packets and times costs the event loop tens to hundreds of microseconds.
   */
  private void verbose(Supplier<String> line) {
    if (config.verbose()) System.out.println(script.file() + ": " + line.get());
  }

  /** Script time now. */
  private long now() {
    return sut.nowMicros() - originMicros;
  }

  private void sleepUntil(long scriptMicros) throws InterruptedException {
    boolean lent = lendUntil(scriptMicros);
    sut.sleepUntil(originMicros + scriptMicros);
    if (lent) cell.wakes();
  }

  /**
   * Tells the cell's scheduler that nothing happens here before {@code scriptMicros}, when that is
   * in real time and far enough ahead to lend; whether it was lent (the caller says when it wakes).
   */
  private boolean lendUntil(long scriptMicros) {
    return !sut.exactTiming() && cell.sleepsUntil(System.nanoTime() + (scriptMicros - now()) * 1000);
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
