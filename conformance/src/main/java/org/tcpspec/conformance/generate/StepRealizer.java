package org.tcpspec.conformance.generate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.Transition;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.spec.ModelStep;

/**
 * Writes the packetdrill lines of one generated script: the path of model steps to the source
 * state, the step itself with the outputs its table row's effects produce, and a probe that shows
 * the state reached. Each action has one concrete stimulus, the one the classifier maps to it
 * (impl's fsm.Classifier decides; the segments are the suite's: far-ahead data is unacceptable,
 * a RST 1000 past RCV.NXT is in the window, and so on).
 *
 * <p>The user closes with {@code shutdown(SHUT_WR)} so the socket stays and {@code tcpi_state}
 * can be read afterwards; only the FIN-WAIT-2 timer, which Linux arms for an orphan alone
 * (tcp_fin_timeout), and the reopening of TIME-WAIT, which the stack allows once no socket refers
 * to the old connection, need {@code close()}. Text after a half-duplex close (§3.6.1) needs the
 * reading side shut as well: {@code shutdown(SHUT_RDWR)}, which keeps the socket to report the reset.
 */
final class StepRealizer {

  /** ACK arrivals that need data in flight: without it every new ACK is the ACK of our FIN. */
  private static final Set<Action> NEED_DATA_IN_FLIGHT = EnumSet.of(Action.EstablishedRcvAck,
      Action.FinWait1RcvAck, Action.CloseWaitRcvAck, Action.ClosingRcvAck, Action.LastAckRcvAck);

  /** Timer scripts give up after two retransmissions, in about 2 s (Linux: tcp_retries2=2). */
  private static final String RETRIES = "net.ipv4.tcp_retries2=2";

  private final ScriptLines s = new ScriptLines();
  private final TreeSet<String> sysctls = new TreeSet<>(List.of("net.ipv4.tcp_congestion_control=reno"));
  private final List<String> actions = new ArrayList<>();
  private final boolean dataInFlight;
  private final boolean orphan;
  private final boolean halfDuplexClose;
  private final Action target;
  private boolean dataSent;
  /** The passive connection is a Fast Open child (ListenRcvSynFastOpen), which answers a SYN with an ACK. */
  private boolean fastOpenChild;

  private StepRealizer(Action target) {
    this.target = target;
    this.dataInFlight = NEED_DATA_IN_FLIGHT.contains(target);
    this.orphan = target == Action.FinWait2Timeout || target == Action.TimeWaitRcvNewSyn;
    this.halfDuplexClose = target == Action.FinWait1RcvDataAfterClose || target == Action.FinWait2RcvDataAfterClose;
  }

  /** The generated body (sysctl line, path, step, probe) or why there is none. */
  static Realization realize(List<ModelStep> path, ModelStep step) {
    StepRealizer r = new StepRealizer(Action.valueOf(step.action()));
    String why = r.notRealizable(step);
    if (why != null) return new Realization.NotRealizable(why);
    for (ModelStep p : viaFastOpen(path, step)) r.take(p);
    r.take(step);
    r.probe(step.to(), step.passiveAfter());
    return new Realization.Script("`sysctl -q " + String.join(" ", r.sysctls) + "`\n\n" + r.s.body());
  }

  /** The actions the script takes, path first, in order (SEND where data must be in flight). */
  static List<String> actions(List<ModelStep> path, ModelStep step) {
    StepRealizer r = new StepRealizer(Action.valueOf(step.action()));
    for (ModelStep p : viaFastOpen(path, step)) r.take(p);
    r.take(step);
    return r.actions;
  }

  /**
   * The path, with its ListenRcvSyn made ListenRcvSynFastOpen when only a Fast Open child takes the
   * step (a passive SYN-RECEIVED step whose rows all need the model's fastOpen): a step does not
   * carry that variable, the table's guards do.
   */
  private static List<ModelStep> viaFastOpen(List<ModelStep> path, ModelStep step) {
    if (!step.from().equals("SYN-RECEIVED") || !step.passive()) return path;
    List<Transition> rows = TransitionTable.instance().rows().stream()
        .filter(t -> t.from() == State.SYN_RECEIVED && t.specAction().name().equals(step.action())
            && t.to().rfcName().equals(step.to()))
        .toList();
    boolean fastOpenOnly = rows.stream().anyMatch(t -> t.guard().admits(true, true))
        && rows.stream().noneMatch(t -> t.guard().admits(true, false));
    if (!fastOpenOnly) return path;
    return path.stream()
        .map(p -> p.action().equals(Action.ListenRcvSyn.name())
            ? new ModelStep(p.from(), p.passive(), Action.ListenRcvSynFastOpen.name(), p.to(), p.passiveAfter())
            : p)
        .toList();
  }

  private String notRealizable(ModelStep step) {
    boolean passiveSynReceived = step.from().equals("SYN-RECEIVED") && step.passive();
    return switch (target) {
      case FinWait2RcvAck, TimeWaitRcvAck ->
          "the classifier never yields it: nothing is left to acknowledge once our FIN is (RowCoverageTest)";
      case SEND, CLOSE_SYN_RECEIVED, ABORT -> passiveSynReceived
          ? "no socket: accept() returns a passive connection only once it is established" : null;
      case TimeWaitRcvNewSyn -> step.passive() ? null
          : "reopening needs a listener on the connection's port, which an active open leaves to the kernel";
      default -> null;
    };
  }

  private void take(ModelStep step) {
    Action a = Action.valueOf(step.action());
    actions.add(a.name());
    stimulus(a, step);
    if (dataInFlight && !dataSent && (step.to().equals("ESTABLISHED") || step.to().equals("CLOSE-WAIT"))) {
      dataSent = true;
      actions.add(Action.SEND.name());
      write();
    }
  }

  private void write() {
    s.call("write(" + s.fd + ", ..., 1000) = 1000");
    s.out("P. " + s.sndNxt + ":" + (s.sndNxt + 1000) + "(1000) ack " + s.rcvNxt);
    s.sndNxt += 1000;
  }

  private void soError(int errno) {
    if (s.fd >= 0) s.call("getsockopt(" + s.fd + ", SOL_SOCKET, SO_ERROR, [" + errno + "], [4]) = 0");
  }

  private void reset() {
    soError(s.established ? 104 : 111);
  }

  private void fin() {
    s.out("F. " + s.sndNxt + ":" + s.sndNxt + "(0) ack " + s.rcvNxt);
    s.sndNxt += 1;
  }

  private void userClose() {
    if (orphan) {
      s.close(s.fd);
    } else if (halfDuplexClose) {
      s.call("shutdown(" + s.fd + ", SHUT_RDWR) = 0");
    } else {
      s.call("shutdown(" + s.fd + ", SHUT_WR) = 0");
    }
    fin();
  }

  private void passiveOpen() {
    s.listenFd = s.socket();
    s.call("setsockopt(" + s.listenFd + ", SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");
    s.call("bind(" + s.listenFd + ", ..., ...) = 0");
    s.call("listen(" + s.listenFd + ", 1) = 0");
  }

  private void activeOpen() {
    s.fd = s.socket();
    s.call("fcntl(" + s.fd + ", F_SETFL, O_RDWR|O_NONBLOCK) = 0");
    s.call("connect(" + s.fd + ", ..., ...) = -1 EINPROGRESS (Operation now in progress)");
    s.out("S 0:0(0) <...>");
    s.sndUna = 0;
    s.sndNxt = 1;
    s.rcvNxt = 0;
  }

  /**
   * RFC 7413 §4.2.1 without a cached cookie: sendto(MSG_FASTOPEN) on a fresh non-blocking socket
   * sends a SYN asking for a cookie and says EINPROGRESS; the data waits for the application.
   */
  private void activeOpenFastOpen() {
    s.fd = s.socket();
    s.call("fcntl(" + s.fd + ", F_SETFL, O_RDWR|O_NONBLOCK) = 0");
    s.call("sendto(" + s.fd + ", ..., 1000, MSG_FASTOPEN, ..., ...) = -1 EINPROGRESS (Operation now in progress)");
    s.out("S 0:0(0) <...>");
    s.sndUna = 0;
    s.sndNxt = 1;
    s.rcvNxt = 0;
  }

  /**
   * RFC 7413 §4.2.2: a SYN with data to a listener of tcp_fastopen 0x603 (server, every listener,
   * no cookie needed) makes a Fast Open child; the SYN-ACK acknowledges the data.
   */
  private void fastOpenSynArrives() {
    sysctls.add("net.ipv4.tcp_fastopen=0x603");
    s.in("S 0:10(10) win 65535 <mss 1000>");
    s.rcvNxt = 11;
    s.sndUna = 0;
    s.sndNxt = 1;
    fastOpenChild = true;
    s.out("S. 0:0(0) ack " + s.rcvNxt + " <...>");
  }

  /** The peer's SYN (§3.10.7.2, §3.10.7.3 simultaneous open) and our SYN-ACK. */
  private void synArrives(int seq) {
    s.in("S " + seq + ":" + seq + "(0) win 65535 <mss 1000>");
    s.rcvNxt = seq + 1;
    if (s.sndNxt == 1000) {
      s.sndUna = 0;
      s.sndNxt = 1;
    }
    s.out("S. 0:0(0) ack " + s.rcvNxt + " <...>");
  }

  private void establishedByAck(boolean passive) {
    s.sndUna = s.sndNxt;
    s.established = true;
    if (passive) s.fd = s.accept();
  }

  private void stimulus(Action a, ModelStep step) {
    int p = s.rcvNxt;
    int n = s.sndNxt;
    int u = s.sndUna;
    switch (a) {
      case PASSIVE_OPEN -> passiveOpen();
      case ACTIVE_OPEN -> activeOpen();
      case ACTIVE_OPEN_FAST_OPEN -> activeOpenFastOpen();
      case ListenRcvSynFastOpen -> fastOpenSynArrives();
      case SEND -> {
        if (s.established) {
          write();
        } else {
          // §3.10.2 queues the data; a non-blocking socket that is not yet connected says so.
          s.call("write(" + s.fd + ", ..., 1000) = -1 EAGAIN (Resource temporarily unavailable)");
        }
      }
      case CLOSE_LISTEN -> s.close(s.listenFd);
      case CLOSE_SYN_SENT -> s.close(s.fd);
      case CLOSE_SYN_RECEIVED, CLOSE_ESTABLISHED, CLOSE_CLOSE_WAIT -> userClose();
      case ABORT -> abort(step.from());
      case SynSentTimeout -> {
        sysctls.add("net.ipv4.tcp_syn_retries=1");
        s.at("+.9~+1.5", "> S 0:0(0) <...>");
        s.at("+3", "getsockopt(" + s.fd + ", SOL_SOCKET, SO_ERROR, [110], [4]) = 0");
      }
      case SynReceivedTimeout -> {
        sysctls.add(step.passive() ? "net.ipv4.tcp_synack_retries=1" : "net.ipv4.tcp_syn_retries=1");
        s.at("+.9~+1.5", "> S. 0:0(0) ack " + p + " <...>");
        if (step.passive()) {
          s.waitBeforeNext("+3");
        } else {
          s.at("+3", "getsockopt(" + s.fd + ", SOL_SOCKET, SO_ERROR, [110], [4]) = 0");
        }
      }
      case EstablishedTimeout, CloseWaitTimeout -> {
        sysctls.add(RETRIES);
        write();
        retransmit("P. " + n + ":" + (n + 1000) + "(1000) ack " + p);
      }
      case FinWait1Timeout, ClosingTimeout, LastAckTimeout -> {
        sysctls.add(RETRIES);
        retransmit("F. " + (n - 1) + ":" + (n - 1) + "(0) ack " + p);
      }
      case FinWait2Timeout -> {
        sysctls.add("net.ipv4.tcp_fin_timeout=1");
        // Linux keeps an orphan in FIN-WAIT-2 at least 3.5 RTO, then tcp_fin_timeout.
        s.waitBeforeNext("+3");
      }
      // 2MSL: Linux waits 60 s (TCP_TIMEWAIT_LEN).
      case TimeWaitTimeout -> s.waitBeforeNext("+61");
      case ClosedRcvRst -> s.in("R. " + p + ":" + p + "(0) ack " + n + " win 0");
      case ClosedRcvSegment, ListenRcvAck, SynSentRcvBadAck -> {
        s.in(s.ack(n + 1000));
        s.out("R " + (n + 1000) + ":" + (n + 1000) + "(0)");
      }
      case ListenRcvRst -> s.in("R " + p + ":" + p + "(0) win 0");
      case ListenRcvOther -> s.in("F " + p + ":" + p + "(0) win 65535");
      case ListenRcvSyn, SynSentRcvSyn -> synArrives(0);
      case SynSentRcvRst -> {
        s.in("R. 0:0(0) ack 1 win 0");
        reset();
      }
      case SynSentRcvRstNoAck -> s.in("R 0:0(0) win 0");
      case SynSentRcvSynAck -> {
        s.in("S. 0:0(0) ack 1 win 65535 <mss 1000>");
        s.rcvNxt = 1;
        s.sndUna = 1;
        s.established = true;
        s.out(s.ourAck());
      }
      case SynSentRcvOther -> s.in(". 0:0(0) ack 1 win 65535");
      case SynReceivedRcvAck -> {
        s.in(s.ack(n));
        establishedByAck(step.passive());
      }
      case SynReceivedRcvBadAck -> {
        s.in(s.ack(n + 1000));
        s.out("R " + (n + 1000) + ":" + (n + 1000) + "(0)");
      }
      case SynReceivedRcvFin -> {
        s.in("F. " + p + ":" + p + "(0) ack " + n + " win 65535");
        s.rcvNxt = p + 1;
        s.out(". " + n + ":" + n + "(0) ack " + s.rcvNxt);
        establishedByAck(step.passive());
      }
      case TimeWaitRcvNewSyn -> {
        s.in("S " + (p + 1000) + ":" + (p + 1000) + "(0) win 65535 <mss 1000>");
        s.rcvNxt = p + 1001;
        s.sndNxt = 1;
        s.sndUna = 0;
        s.established = false;
        s.out("S. 0:0(0) ack " + s.rcvNxt + " <...>");
      }
      // §3.6.1 SHLD-3: text the application can no longer read is answered with <SEQ=SEG.ACK><CTL=RST>.
      case FinWait1RcvDataAfterClose, FinWait2RcvDataAfterClose -> {
        s.in("P. " + p + ":" + (p + 100) + "(100) ack " + u + " win 65535");
        s.out("R " + u + ":" + u + "(0)");
        reset();
      }
      default -> synchronizedArrival(a, step, p, n, u);
    }
  }

  /** §3.10.7.4 in the synchronized states, one family of actions per RFC check. */
  private void synchronizedArrival(Action a, ModelStep step, int p, int n, int u) {
    String name = a.name();
    if (name.endsWith("RcvUnacceptable")) {
      // Text far beyond the window: always answered (only empty segments are rate-limited).
      s.in("P. " + (p + 1_000_000) + ":" + (p + 1_000_100) + "(100) ack " + u + " win 65535");
      s.out(s.ourAck());
    } else if (name.endsWith("RcvRstOutOfWindow")) {
      s.in("R. " + (p + 1_000_000) + ":" + (p + 1_000_000) + "(0) ack " + u + " win 0");
    } else if (name.endsWith("RcvRstExact")) {
      s.in(step.from().equals("SYN-RECEIVED") ? "R " + p + ":" + p + "(0) win 0"
          : "R. " + p + ":" + p + "(0) ack " + u + " win 0");
      boolean userGone = Set.of("CLOSING", "LAST-ACK", "TIME-WAIT").contains(step.from());
      if (!userGone && !(step.from().equals("SYN-RECEIVED") && step.passive())) reset();
    } else if (name.endsWith("RcvRstInWindow")) {
      s.in("R. " + (p + 1000) + ":" + (p + 1000) + "(0) ack " + u + " win 0");
      s.out(s.ourAck());
    } else if (name.endsWith("RcvSyn")) {
      if (a == Action.TimeWaitRcvSyn) {
        // Beyond RCV.NXT but with no listener to reopen it: answered as any SYN (tcp_v4_rcv).
        if (s.listenFd >= 0) s.close(s.listenFd);
        s.in("S " + (p + 1000) + ":" + (p + 1000) + "(0) win 65535 <mss 1000>");
      } else {
        s.in("S " + p + ":" + p + "(0) win 65535 <mss 1000>");
      }
      if (!(step.from().equals("SYN-RECEIVED") && step.passive()) || fastOpenChild) s.out(s.ourAck());
    } else if (name.endsWith("RcvNoAck")) {
      s.in("P " + p + ":" + (p + 100) + "(100) win 65535");
    } else if (name.endsWith("RcvAckTooOld")) {
      // RFC 5961 §5.2: text whose ACK lies far below SND.UNA - MAX.SND.WND (here 1.29 * 10^9
      // before SND.UNA, mod 2^32) is dropped, not delivered, and draws a challenge ACK.
      s.in("P. " + p + ":" + (p + 100) + "(100) ack " + (u + 3_000_000_000L) % (1L << 32) + " win 65535");
      s.out(s.ourAck());
    } else if (name.endsWith("RcvAckAhead")) {
      s.in(s.ack(n + 1000));
      s.out(s.ourAck());
    } else if (name.endsWith("RcvDupAck")) {
      s.in(s.ack(u));
    } else if (name.endsWith("RcvAckOfFin")) {
      s.in(s.ack(n));
      s.sndUna = n;
    } else if (name.endsWith("RcvAck")) {
      s.in(s.ack(u + 500));
      s.sndUna = u + 500;
    } else if (name.endsWith("RcvData")) {
      s.in("P. " + p + ":" + (p + 100) + "(100) ack " + u + " win 65535");
      if (Set.of("ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2").contains(step.from())) {
        s.rcvNxt = p + 100;
        s.out(s.ourAck());
      }
    } else if (a == Action.FinWait1RcvFinAckOfFin) {
      s.in("F. " + p + ":" + p + "(0) ack " + n + " win 65535");
      s.rcvNxt = p + 1;
      s.sndUna = n;
      s.out(s.ourAck());
    } else if (name.endsWith("RcvFin")) {
      if (Set.of("ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2").contains(step.from())) {
        s.in("F. " + p + ":" + p + "(0) ack " + u + " win 65535");
        s.rcvNxt = p + 1;
      } else {
        // The peer's FIN again (its end is RCV.NXT): §3.10.7.4 eighth, ACK it again.
        s.in("F. " + (p - 1) + ":" + (p - 1) + "(0) ack " + u + " win 65535");
      }
      s.out(s.ourAck());
    } else {
      throw new IllegalArgumentException("no stimulus for " + a);
    }
  }

  private void retransmit(String segment) {
    s.at("+.2~+.5", "> " + segment);
    s.at("+.4~+1", "> " + segment);
    s.at("+2.5", "getsockopt(" + s.fd + ", SOL_SOCKET, SO_ERROR, [110], [4]) = 0");
  }

  private void abort(String from) {
    switch (from) {
      case "LISTEN" -> s.close(s.listenFd);
      case "SYN-SENT" -> s.close(s.fd);
      default -> {
        s.call("setsockopt(" + s.fd + ", SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0");
        s.close(s.fd);
        // §3.10.5: a RST only where the peer may still think the connection open.
        if (Set.of("SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT").contains(from)) {
          s.out("R. " + s.sndNxt + ":" + s.sndNxt + "(0) ack " + s.rcvNxt);
        }
      }
    }
  }

  /** A probe that shows the state reached: tcpi_state where a socket shows it, else a segment. */
  private void probe(String state, boolean passive) {
    switch (state) {
      case "CLOSED" -> {
        s.in(s.ack(s.sndNxt));
        s.out("R " + s.sndNxt + ":" + s.sndNxt + "(0)");
      }
      case "LISTEN" -> {
        // A SYN with a new ISN: a half-open connection would answer it with an ACK, a listener
        // with a SYN-ACK.
        s.in("S 5000:5000(0) win 65535 <mss 1000>");
        s.out("S. 0:0(0) ack 5001 <...>");
      }
      case "TIME-WAIT" -> {
        s.in("F. " + (s.rcvNxt - 1) + ":" + (s.rcvNxt - 1) + "(0) ack " + s.sndNxt + " win 65535");
        s.out(s.ourAck());
      }
      case "SYN-RECEIVED" -> {
        if (passive) {
          s.in(s.ack(s.sndNxt));
          s.fd = s.accept();
        } else {
          tcpiState("TCP_SYN_RECV");
        }
      }
      default -> tcpiState(switch (state) {
        case "SYN-SENT" -> "TCP_SYN_SENT";
        case "ESTABLISHED" -> "TCP_ESTABLISHED";
        case "FIN-WAIT-1" -> "TCP_FIN_WAIT1";
        case "FIN-WAIT-2" -> "TCP_FIN_WAIT2";
        case "CLOSE-WAIT" -> "TCP_CLOSE_WAIT";
        case "CLOSING" -> "TCP_CLOSING";
        case "LAST-ACK" -> "TCP_LAST_ACK";
        default -> throw new IllegalArgumentException("no probe for " + state);
      });
    }
  }

  private void tcpiState(String symbol) {
    s.call("getsockopt(" + s.fd + ", SOL_SOCKET, SO_ERROR, [0], [4]) = 0");
    s.call("%{ assert tcpi_state == " + symbol + " }%");
  }
}
