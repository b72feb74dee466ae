package org.tcpspec.conformance.judge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.script.CodeBlock;
import org.tcpspec.conformance.script.EventTime;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Parser;
import org.tcpspec.conformance.script.Script;
import org.tcpspec.conformance.script.ScriptEvent;
import org.tcpspec.conformance.script.ScriptException;
import org.tcpspec.conformance.script.Syscall;
import org.tcpspec.conformance.script.TcpPacket;
import org.tcpspec.fsm.Classifier;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.Transition;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.spec.LinuxTraceStep;
import org.tcpspec.spec.LinuxTraceValidation;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;

/**
 * The model judges the Linux kernel (issue 17, point 3): from a linux cell's exchange (the packets
 * injected and sniffed, the system calls of the script up to where the cell stopped, tcpi_state
 * where a Python block asserts it) it derives the events the classifier would name in each state
 * and the answers Linux gave, and has TLC follow them through TcpEndpoint with the states hidden
 * (spec/TcpLinuxTrace.tla). All cells go to one TLC run. The judge follows one connection: a
 * script with more (several peer ports) is not judged.
 */
public final class LinuxJudge {
  private static final TransitionTable TABLE = TransitionTable.instance();
  private static final Pattern FAIL_LINE = Pattern.compile(":(\\d+):");
  private static final Pattern TCPI_STATE = Pattern.compile("tcpi_state\\s*==\\s*(TCP_[A-Z0-9_]+)");
  private static final Map<String, String> TCPI_STATES = Map.ofEntries(
      Map.entry("TCP_ESTABLISHED", "ESTABLISHED"), Map.entry("TCP_SYN_SENT", "SYN-SENT"),
      Map.entry("TCP_SYN_RECV", "SYN-RECEIVED"), Map.entry("TCP_FIN_WAIT1", "FIN-WAIT-1"),
      Map.entry("TCP_FIN_WAIT2", "FIN-WAIT-2"), Map.entry("TCP_TIME_WAIT", "TIME-WAIT"),
      Map.entry("TCP_CLOSE", "CLOSED"), Map.entry("TCP_CLOSE_WAIT", "CLOSE-WAIT"),
      Map.entry("TCP_LAST_ACK", "LAST-ACK"), Map.entry("TCP_LISTEN", "LISTEN"), Map.entry("TCP_CLOSING", "CLOSING"));

  private LinuxJudge() {}

  /** What the model says of one linux cell. */
  public sealed interface Judgment {
    /** Linux's behaviour is a behaviour of the model ({@code upTo}: where a failed cell stopped, if it did). */
    record Behaviour(int events, Optional<Integer> upTo) implements Judgment {}

    /** The first step that is not the model's: the script line and what happened there. */
    record Leaves(int line, String step) implements Judgment {}

    /** The judge cannot follow this cell, and why. */
    record NotJudged(String reason) implements Judgment {}
  }

  /** A cell to judge: the script it played and its result. */
  public record LinuxCell(String name, Path script, RunResult result) {}

  /** One trace, with what each record was. */
  private record Derived(List<LinuxTraceStep> steps, List<Integer> lines, Optional<Integer> upTo) {}

  /** Judges every cell, in one TLC run; cell names as given. */
  public static Map<String, Judgment> judge(List<LinuxCell> cells) throws IOException {
    Map<String, Judgment> out = new LinkedHashMap<>();
    SequencedMap<String, List<LinuxTraceStep>> traces = new LinkedHashMap<>();
    Map<String, Derived> derived = new LinkedHashMap<>();
    for (LinuxCell c : cells) {
      try {
        Derived d = derive(c);
        derived.put(c.name(), d);
        traces.put(c.name(), d.steps());
      } catch (NotJudgeable e) {
        out.put(c.name(), new Judgment.NotJudged(e.getMessage()));
      }
    }
    Map<String, LinuxTraceValidation.Verdict> verdicts = LinuxTraceValidation.check(traces);
    for (var e : verdicts.entrySet()) {
      Derived d = derived.get(e.getKey());
      out.put(e.getKey(), switch (e.getValue()) {
        case LinuxTraceValidation.Verdict.Behaviour b -> new Judgment.Behaviour(b.records(), d.upTo());
        case LinuxTraceValidation.Verdict.Leaves l -> {
          LinuxTraceStep s = d.steps().get(l.record() - 1);
          yield new Judgment.Leaves(d.lines().get(l.record() - 1), describe(s, l.states()));
        }
      });
    }
    return out;
  }

  /**
   * "&lt;R. 12:12(0): TimeWaitRcvRstInWindow in TIME-WAIT (passive) answers ack or data at once, ...
   * (RFC 5961 §3.2: a challenge ACK); Linux answered none": each action the model could take there,
   * what it answers and why ({@link ModelAnswers}), and Linux's answer.
   */
  static String describe(LinuxTraceStep s, List<String> states) {
    return switch (s) {
      case LinuxTraceStep.StateSeen v -> "tcpi_state is " + v.state() + ", the model is in " + String.join(" or ", states);
      case LinuxTraceStep.Event e -> {
        List<String> named = new ArrayList<>();
        boolean answerAllowed = true;
        for (LinuxTraceStep.Candidate c : e.candidates()) {
          String st = c.state() + (c.passive() ? " (passive)" : "");
          if (!states.contains(st)) continue;
          named.add(c.action() + " in " + st + " " + ModelAnswers.describe(c.action()));
          answerAllowed &= ModelAnswers.of(c.action()).replies().contains(e.reply());
        }
        if (named.isEmpty()) yield e.description() + ": no action of the model in " + String.join(" or ", states);
        yield e.description() + ": " + String.join("; or ", named) + "; Linux answered " + e.reply()
            + (answerAllowed ? " (an answer the model allows: the action cannot be taken there)" : "");
      }
    };
  }

  /** A segment as a script writes it, "&lt;R. 11:11(0)", with its TSval when it has one (PAWS). */
  private static String segmentWords(Segment seg) {
    int end = seg.seq() + seg.payloadLength();
    return "<" + TcpFlags.toPacketdrill(seg.flags()) + " " + Integer.toUnsignedString(seg.seq()) + ":"
        + Integer.toUnsignedString(end) + "(" + seg.payloadLength() + ")"
        + (seg.hasTimestamp() ? " TSval " + Integer.toUnsignedString(seg.tsVal()) : "");
  }

  private static final class NotJudgeable extends Exception {
    NotJudgeable(String why) {
      super(why);
    }
  }

  private static Derived derive(LinuxCell c) throws NotJudgeable {
    RunResult r = c.result();
    if (!(r.verdict() instanceof Verdict.Pass || r.verdict() instanceof Verdict.Fail)) {
      throw new NotJudgeable("the cell did not run to a pass or a failure");
    }
    Script script;
    try {
      script = Parser.parse(c.script());
    } catch (IOException | ScriptException e) {
      throw new NotJudgeable("the script does not parse: " + e.getMessage());
    }
    Set<Integer> peerPorts = new HashSet<>();
    for (PacketRecord p : r.packets()) if (p.inbound()) peerPorts.add(p.segment().srcPort());
    if (peerPorts.size() > 1) throw new NotJudgeable(peerPorts.size() + " connections; the judge follows one");
    Optional<Integer> upTo = Optional.empty();
    if (r.verdict() instanceof Verdict.Fail f) {
      Matcher m = FAIL_LINE.matcher(f.message());
      if (!m.find()) throw new NotJudgeable("the failure names no line");
      upTo = Optional.of(Integer.parseInt(m.group(1)));
    }
    Map<Integer, Segment> inbound = new LinkedHashMap<>();
    Map<Integer, List<Segment>> outbound = new LinkedHashMap<>();
    for (PacketRecord p : r.packets()) {
      if (p.inbound()) inbound.putIfAbsent(p.scriptLine(), p.segment());
      else if (p.scriptLine() > 0) outbound.computeIfAbsent(p.scriptLine(), k -> new ArrayList<>()).add(p.segment());
    }
    List<ScriptEvent> events = script.events();
    ObservedTcb tcb = new ObservedTcb();
    List<LinuxTraceStep> steps = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    long micros = 0;
    int listenFd = -1;
    int connFd = -1;
    int fastOpenConnectFd = -1;
    boolean child = false;
    boolean lingerZero = false;
    for (int k = 0; k < events.size(); k++) {
      ScriptEvent ev = events.get(k);
      int line = ev.pos().line();
      if (upTo.isPresent() && line >= upTo.get()) break;
      micros = timeOf(ev.time(), micros);
      long ms = micros / 1000;
      tcb.at(ms);
      String where = c.name() + ":" + line;
      switch (ev.action()) {
        case TcpPacket p when p.direction() == TcpPacket.Direction.INBOUND -> {
          Segment seg = inbound.get(line);
          if (seg == null) throw new NotJudgeable("no injected packet recorded for line " + line);
          String reply = replyTo(events, k, outbound, upTo);
          steps.add(new LinuxTraceStep.Event(where, ms, segmentWords(seg), arrivals(seg, tcb), reply));
          lines.add(line);
          tcb.received(seg);
          if (seg.has(TcpFlags.SYN) && !seg.has(TcpFlags.ACK) && listenFd >= 0) child = true;
        }
        case TcpPacket p -> {
          for (Segment s : outbound.getOrDefault(line, List.of())) tcb.sent(s);
        }
        case Syscall s -> {
          int fd = firstInt(s.args());
          int result = s.result() instanceof Expr.Int i ? (int) i.value() : -1;
          Optional<Event> call = Optional.empty();
          switch (s.name()) {
            case "listen" -> {
              listenFd = fd;
              tcb.listenerOpen = true;
              call = Optional.of(Event.PASSIVE_OPEN);
            }
            case "connect" -> {
              if (s.args().size() > 1 && mentions(s.args().get(1), "AF_UNSPEC")) {
                // tcp_disconnect: RFC 9293's ABORT, the socket left free to connect again.
                if (fd == connFd) call = Optional.of(Event.ABORT);
                else if (fd == listenFd) call = closeOfListener(child, connFd, tcb);
                break;
              }
              secondConnection(connFd, fd);
              connFd = fd;
              if (fd != fastOpenConnectFd) {
                call = Optional.of(Event.ACTIVE_OPEN);
              } else if (result != 0) {
                // TCP_FASTOPEN_CONNECT without a cookie: the SYN asking for one goes at once.
                fastOpenConnectFd = -1;
                call = Optional.of(Event.ACTIVE_OPEN_FAST_OPEN);
              }
              // Else a cookie is cached and the SYN waits for the first write (tcp_fastopen_defer_connect).
            }
            case "accept", "accept4" -> connFd = result;
            case "write", "writev", "send", "sendto", "sendmsg" -> {
              boolean fastOpenSend = s.args().stream().anyMatch(a -> mentions(a, "MSG_FASTOPEN"));
              if (fastOpenSend && fd != connFd || fd == fastOpenConnectFd) {
                if (fd != fastOpenConnectFd) secondConnection(connFd, fd);
                // RFC 7413: the connect that carries data (sendto MSG_FASTOPEN, or the first write
                // after TCP_FASTOPEN_CONNECT), even when the SYN only asks for a cookie.
                connFd = fd;
                fastOpenConnectFd = -1;
                call = Optional.of(Event.ACTIVE_OPEN_FAST_OPEN);
              } else if (fd == connFd && result > 0) {
                call = Optional.of(Event.SEND);
              }
            }
            case "setsockopt" -> {
              if (s.args().size() > 3 && s.args().get(2) instanceof Expr.Word w && w.name().equals("SO_LINGER")) {
                lingerZero = lingerZero(s.args().get(3));
              }
              if (s.args().size() > 2 && mentions(s.args().get(2), "TCP_FASTOPEN_CONNECT")) fastOpenConnectFd = fd;
            }
            case "shutdown" -> {
              if (fd == connFd) {
                String how = s.args().size() > 1 && s.args().get(1) instanceof Expr.Word w ? w.name() : "";
                if (how.equals("SHUT_WR") || how.equals("SHUT_RDWR")) call = Optional.of(Event.CLOSE);
                if (how.equals("SHUT_RD") || how.equals("SHUT_RDWR")) tcb.receiveShut = true;
              }
            }
            case "close" -> {
              if (fd == connFd) {
                tcb.closed = true;
                tcb.receiveShut = true;
                call = Optional.of(lingerZero ? Event.ABORT : Event.CLOSE);
              } else if (fd == listenFd) {
                call = closeOfListener(child, connFd, tcb);
              }
            }
            default -> {}
          }
          if (call.isPresent()) {
            steps.add(new LinuxTraceStep.Event(where, ms, s.name() + "()", calls(call.get()), "any"));
            lines.add(line);
          }
        }
        case CodeBlock b -> {
          Matcher m = TCPI_STATE.matcher(b.text());
          if (connFd >= 0 && m.find() && TCPI_STATES.containsKey(m.group(1))) {
            steps.add(new LinuxTraceStep.StateSeen(where, ms, TCPI_STATES.get(m.group(1))));
            lines.add(line);
          }
        }
        default -> {}
      }
    }
    return new Derived(steps, lines, upTo);
  }

  /**
   * The class of the first segment Linux sent in answer to the inbound packet at event {@code k}:
   * those the script's outbound lines right after it matched, before the next event of another
   * kind.
   */
  private static String replyTo(List<ScriptEvent> events, int k, Map<Integer, List<Segment>> outbound,
      Optional<Integer> upTo) {
    for (int j = k + 1; j < events.size(); j++) {
      ScriptEvent e = events.get(j);
      if (!(e.action() instanceof TcpPacket p) || p.direction() != TcpPacket.Direction.OUTBOUND) break;
      if (upTo.isPresent() && e.pos().line() >= upTo.get()) return "any";
      List<Segment> sent = outbound.getOrDefault(e.pos().line(), List.of());
      if (!sent.isEmpty()) return replyClass(sent.getFirst());
    }
    return "none";
  }

  static String replyClass(Segment s) {
    if (s.has(TcpFlags.RST)) return "rst";
    if (s.has(TcpFlags.SYN)) return s.has(TcpFlags.ACK) ? "synack" : "syn";
    if (s.payloadLength() > 0 || s.has(TcpFlags.FIN)) return "data";
    return "ack";
  }

  private static List<LinuxTraceStep.Candidate> arrivals(Segment seg, ObservedTcb tcb) {
    List<LinuxTraceStep.Candidate> out = new ArrayList<>();
    for (State s : State.values()) {
      Event e = Classifier.classify(s, seg, tcb);
      for (boolean passive : new boolean[] {false, true}) add(out, s, e, passive);
    }
    return out;
  }

  private static List<LinuxTraceStep.Candidate> calls(Event call) {
    List<LinuxTraceStep.Candidate> out = new ArrayList<>();
    for (State s : State.values()) for (boolean passive : new boolean[] {false, true}) add(out, s, call, passive);
    return out;
  }

  private static void add(List<LinuxTraceStep.Candidate> out, State s, Event e, boolean passive) {
    Optional<Transition> row = TABLE.lookup(s, e, passive);
    row.ifPresent(t -> out.add(new LinuxTraceStep.Candidate(s.rfcName(), passive, t.specAction().name())));
  }

  /** {@code {l_onoff=1, l_linger=0}}: close() then resets the connection (SO_LINGER, socket(7)). */
  private static boolean lingerZero(Expr e) {
    if (!(e instanceof Expr.Struct st)) return false;
    for (Expr item : st.items()) {
      if (item instanceof Expr.Assign(var pos, Expr.Word key, Expr.Int value) && key.name().equals("l_linger")) {
        return value.value() == 0;
      }
    }
    return false;
  }

  /** A script that opens a second connection from another socket is not judged: the judge follows one. */
  /**
   * The listener closes or disconnects: LISTEN ends (CLOSE), or Linux resets a child nobody accepted
   * (inet_csk_listen_stop); an accepted one lives on.
   */
  private static Optional<Event> closeOfListener(boolean child, int connFd, ObservedTcb tcb) {
    tcb.listenerOpen = false;
    if (!child) return Optional.of(Event.CLOSE);
    return connFd < 0 ? Optional.of(Event.ABORT) : Optional.empty();
  }

  private static void secondConnection(int connFd, int fd) throws NotJudgeable {
    if (connFd >= 0 && fd != connFd) throw new NotJudgeable("a second connection (fd " + fd + "); the judge follows one");
  }

  /** Whether the expression is the word, or a flags expression {@code A|B} that has it. */
  private static boolean mentions(Expr e, String word) {
    return switch (e) {
      case Expr.Word w -> w.name().equals(word);
      case Expr.Or o -> mentions(o.left(), word) || mentions(o.right(), word);
      default -> false;
    };
  }

  private static int firstInt(List<Expr> args) {
    return !args.isEmpty() && args.getFirst() instanceof Expr.Int i ? (int) i.value() : -2;
  }

  /** The event's script time: absolute, relative to the one before, or the start of its range. */
  private static long timeOf(EventTime t, long before) {
    return switch (t) {
      case EventTime.Absolute a -> a.micros();
      case EventTime.Relative r -> before + r.micros();
      case EventTime.AbsoluteRange a -> a.fromMicros();
      case EventTime.RelativeRange r -> before + r.fromMicros();
      case EventTime.AnyTime a -> before;
    };
  }
}
