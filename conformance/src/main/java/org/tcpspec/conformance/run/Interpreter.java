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
 *
 * <p>This class keeps the event loop, inbound packets, shell lines and code blocks; its parts are
 * {@link ScriptClock} (script time, tolerances, start windows, lent waits), {@link OutboundPackets}
 * (awaiting, aggregating and checking outbound packets) and {@link CallEvents} (system calls and the
 * blocking one).
 */
public final class Interpreter {

  /** How long {@code *} waits for an outbound packet. */
  static final long ANY_TIME_WAIT_MICROS = 10_000_000;

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
  private final ScriptClock clock;
  private final OutboundPackets outbound;
  private final CallEvents calls;
  /** When the event being played is due; its handler checks its start against it. */
  private StartWindow due = StartWindow.NONE;
  private boolean initCommandRan;

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
    this.directory = Path.of(script.file()).toAbsolutePath().normalize().getParent();
    this.socket = new ScriptSocket(config);
    this.clock = new ScriptClock(sut, config, cell);
    this.outbound = new OutboundPackets(this, clock);
    this.calls = new CallEvents(this, clock);
  }

  SystemUnderTest sut() {
    return sut;
  }

  RunConfig config() {
    return config;
  }

  /** packetdrill's --tolerance_usecs, which timestamps in control messages are checked with. */
  long toleranceMicros() {
    return clock.toleranceMicros();
  }

  /** The system under test's clock at script time 0. */
  long originMicros() {
    return clock.originMicros();
  }

  /** A warning for the verdict: a failure --non_fatal let pass. */
  void warn(String warning) {
    warnings.add(warning);
  }

  /** A packet for the report's ladder. */
  void addPacket(PacketRecord packet) {
    packets.add(packet);
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
    clock.start();
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
      calls.reapBlockingCall(0);
      boolean inboundNow = isInboundPacket(e);
      boolean anchored = lastInbound && inboundNow;
      if (anchored) base = lastStart;
      if (!sut.exactTiming() && e.action() instanceof Syscall s && s.endMicros().isPresent()) base = Math.max(base, clock.now());
      long takenUp = anchored || sut.exactTiming() ? base : Math.max(base, clock.now());
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
      long tol = clock.tolerance(Math.max(0, start - base));
      due = first ? StartWindow.NONE : clock.startWindow(e, start, end, tol, base, takenUp);
      first = false;
      base = switch (e.action()) {
        case TcpPacket p when p.direction() == TcpPacket.Direction.INBOUND -> inbound(p, start);
        case TcpPacket p -> outbound.outbound(p, start, end, tol, e.time() instanceof EventTime.AnyTime);
        case IcmpPacket p -> inboundIcmp(p, start);
        case Syscall s -> calls.syscall(s, e.time(), base, start, tol, due);
        case ShellCommand c -> {
          clock.sleepUntil(start);
          due.check(clock.now());
          shell(c);
          yield Math.max(start, clock.now());
        }
        case CodeBlock c -> {
          clock.sleepUntil(start);
          due.check(clock.now());
          // A blocking accept that returned meanwhile has made its socket the one under test, as
          // packetdrill's call thread does on return.
          calls.reapBlockingCall(0);
          python.add(e.pos(), socketTcpInfo(c), socketMeminfo(c), c.text());
          yield Math.max(start, clock.now());
        }
      };
      lastStart = start;
      lastInbound = inboundNow;
    }
    calls.reapBlockingCall(0);
    if (initCommandRan && script.cleanupCommand().isPresent()) shell(script.cleanupCommand().get());
    if (!python.isEmpty()) verbose(() -> "python3 program:\n" + python.program());
    Optional<String> pythonFailure = python.execute(script.file(), directory);
    if (pythonFailure.isPresent()) throw new ScriptFailure(ScriptFailure.Kind.FAIL, pythonFailure.get());
    calls.finish();
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
   * block that reads them on a system under test without them, or reads one past those it keeps
   * (the java stack keeps the leading receive counters), is unsupported there.
   */
  private Optional<long[]> socketMeminfo(CodeBlock c) throws ScriptFailure {
    Optional<long[]> m = sut.skMeminfo(socket.liveFd);
    if (m.isEmpty() && c.text().contains("SK_MEMINFO_")) {
      throw ScriptFailure.unsupported("SO_MEMINFO on " + sut.name());
    }
    int kept = m.map(counters -> counters.length).orElse(0);
    for (int i = kept; i < PythonCode.SK_MEMINFO.size(); i++) {
      if (c.text().contains(PythonCode.SK_MEMINFO.get(i))) {
        throw ScriptFailure.unsupported("SO_MEMINFO's " + PythonCode.SK_MEMINFO.get(i) + " on " + sut.name());
      }
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
    boolean lent = clock.lendUntil(at);
    long injected = sut.injectAt(live, ScriptSocket.liveIp(p.ip()), clock.originMicros() + at);
    if (lent) clock.wakes();
    due.check(injected - clock.originMicros());
    long actual = Math.max(at, injected - clock.originMicros());
    packets.add(new PacketRecord(actual, true, live, p.pos().line()));
    EventMarks.mark("inbound: recorded");
    verbose(() -> "inbound injected packet: " + seconds(actual) + " " + ScriptSocket.showScript(p));
    return actual;
  }

  private long inboundIcmp(IcmpPacket p, long at) throws ScriptFailure, IOException, InterruptedException {
    byte[] live = socket.liveInboundIcmp(p);
    clock.sleepUntil(at);
    long injected = sut.injectIcmp(live) - clock.originMicros();
    due.check(injected);
    return Math.max(at, injected);
  }

  /** An inbound packet, whose time anchors the next inbound one (is_event_start_time_anchored). */
  private static boolean isInboundPacket(ScriptEvent e) {
    return e.action() instanceof IcmpPacket
        || e.action() instanceof TcpPacket p && p.direction() == TcpPacket.Direction.INBOUND;
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
  void verbose(Supplier<String> line) {
    if (config.verbose()) System.out.println(script.file() + ": " + line.get());
  }

  static String seconds(long micros) {
    return String.format("%.6f", micros / 1e6);
  }
}
