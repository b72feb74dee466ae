package org.tcpspec.conformance.generate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tcpspec.fsm.Action;
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
  /** The connection came from a SYN whose data a Fast Open listener took: accept() returned it at once. */
  private boolean fastOpen;

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
    for (ModelStep p : path) r.take(p);
    r.take(step);
    r.probe(step.to(), step.passiveAfter() && !step.fastOpenAfter());
    return new Realization.Script("`sysctl -q " + String.join(" ", r.sysctls) + "`\n\n" + r.s.body());
  }

  /** The actions the script takes, path first, in order (SEND where data must be in flight). */
  static List<String> actions(List<ModelStep> path, ModelStep step) {
    StepRealizer r = new StepRealizer(Action.valueOf(step.action()));
    for (ModelStep p : path) r.take(p);
    r.take(step);
    return r.actions;
  }

  private String notRealizable(ModelStep step) {
    boolean passiveSynReceived = step.from().equals("SYN-RECEIVED") && step.passive() && !step.fastOpen();
    return switch (target) {
      case FinWait2RcvAck, TimeWaitRcvAck ->
          "the classifier never yields it: nothing is left to acknowledge once our FIN is (RowCoverageTest)";
      case SEND, CLOSE_SYN_RECEIVED, ABORT -> passiveSynReceived
          ? "no socket: accept() returns a passive connection only once it is established" : null;
      case TimeWaitRcvNewSyn -> step.passive() ? null
          : "reopening needs a listener on the connection's port, which an active open leaves to the kernel";
      case SynReceivedRcvSyn -> step.fastOpen()
          ? "the RST that answers the SYN carries sequence number 0 (<SEQ=0><ACK=SEG.SEQ+SEG.LEN>), which"
              + " packetdrill's mapping of outbound segments relative to the ISN cannot write" : null;
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
    soError(s.established || fastOpen ? 104 : 111);
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
    if (passive && !fastOpen) s.fd = s.accept();
    fastOpen = false;
  }

  /**
   * RFC 7413 §4.1.2 client without a cookie (tcp_fastopen's 0x4 bit: no cookie needed): the data
   * goes in the SYN, and the non-blocking sendto says it took it.
   */
  private void activeOpenFastOpen() {
    sysctls.add("net.ipv4.tcp_fastopen=0x5");
    s.fd = s.socket();
    s.call("fcntl(" + s.fd + ", F_SETFL, O_RDWR|O_NONBLOCK) = 0");
    s.call("sendto(" + s.fd + ", ..., 1000, MSG_FASTOPEN, ..., ...) = 1000");
    s.out("S 0:1000(1000) <...>");
    s.sndUna = 0;
    s.sndNxt = 1001;
    s.rcvNxt = 0;
  }

  /**
   * RFC 7413 §4.2.2 server without cookies (tcp_fastopen 0x2 server, 0x200 no cookie needed, 0x400
   * on every listener): the SYN's data is taken, the SYN-ACK acknowledges it, and accept() returns
   * the connection in SYN-RECEIVED at once (Linux tcp_fastopen_create_child).
   */
  private void synWithDataArrives() {
    sysctls.add("net.ipv4.tcp_fastopen=0x602");
    s.in("S 0:10(10) win 65535 <mss 1000>");
    s.rcvNxt = 11;
    s.sndUna = 0;
    s.sndNxt = 1;
    s.out("S. 0:0(0) ack 11 <...>");
    s.fd = s.accept();
    fastOpen = true;
  }

  private void stimulus(Action a, ModelStep step) {
    int p = s.rcvNxt;
    int n = s.sndNxt;
    int u = s.sndUna;
    switch (a) {
      case PASSIVE_OPEN -> passiveOpen();
      case ACTIVE_OPEN -> activeOpen();
      case ACTIVE_OPEN_FAST_OPEN -> activeOpenFastOpen();
      case ListenRcvSynFastOpen -> synWithDataArrives();
      case SEND -> {
        if (s.established || fastOpen) {
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
        // Linux 6.5+ retransmits the first SYNs after a linear 1 s (tcp_syn_linear_timeouts,
        // default 4), and gives up when the exponential budget of tcp_syn_retries=1 (3 s) is
        // spent (retransmits_timed_out): SYNs at 0, 1 and 2 s, ETIMEDOUT at 3 s. The stack does the same.
        sysctls.add("net.ipv4.tcp_syn_retries=1");
        s.at("+.9~+1.5", "> S 0:0(0) <...>");
        s.at("+.9~+1.5", "> S 0:0(0) <...>");
        s.at("+1.5", "getsockopt(" + s.fd + ", SOL_SOCKET, SO_ERROR, [110], [4]) = 0");
      }
      case SynReceivedTimeout -> {
        sysctls.add(step.passive() ? "net.ipv4.tcp_synack_retries=1" : "net.ipv4.tcp_syn_retries=1");
        s.at("+.9~+1.5", "> S. 0:0(0) ack " + p + " <...>");
        if (step.fastOpen()) {
          // Linux gives a Fast Open child one retry more than tcp_synack_retries
          // (tcp_fastopen_synack_timer): SYN-ACKs at 0, 1 and 3 s, ETIMEDOUT at 7 s.
          s.at("+1.5~+2.5", "> S. 0:0(0) ack " + p + " <...>");
          s.at("+4.5", "getsockopt(" + s.fd + ", SOL_SOCKET, SO_ERROR, [110], [4]) = 0");
        } else if (step.passive()) {
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
      case FinWait2KeepaliveTimeout -> {
        // Linux tcp_keepalive_timer for a FIN-WAIT-2 socket the user still holds (shutdown, not
        // close): one probe <SEQ=SND.UNA-1> 1 s after the last receive, then, unanswered, a RST
        // and ETIMEDOUT 1 s later (TCP_KEEPIDLE, TCP_KEEPINTVL 1 s, TCP_KEEPCNT 1).
        s.call("setsockopt(" + s.fd + ", SOL_SOCKET, SO_KEEPALIVE, [1], 4) = 0");
        s.call("setsockopt(" + s.fd + ", IPPROTO_TCP, TCP_KEEPIDLE, [1], 4) = 0");
        s.call("setsockopt(" + s.fd + ", IPPROTO_TCP, TCP_KEEPINTVL, [1], 4) = 0");
        s.call("setsockopt(" + s.fd + ", IPPROTO_TCP, TCP_KEEPCNT, [1], 4) = 0");
        s.at("+1", "> . " + (n - 1) + ":" + (n - 1) + "(0) ack " + p);
        s.at("+1", "> R. " + n + ":" + n + "(0) ack " + p);
        soError(110);
      }
      case FinWait2Timeout -> {
        sysctls.add("net.ipv4.tcp_fin_timeout=1");
        // Linux keeps an orphan in FIN-WAIT-2 at least 3.5 RTO, then tcp_fin_timeout.
        s.waitBeforeNext("+3");
      }
      // 2MSL: Linux waits 60 s (TCP_TIMEWAIT_LEN) on a timer-wheel timer, which fires up to its
      // level's granularity late (calc_wheel_index: 512 jiffies for 60 s, 2.05 s at HZ=250); a
      // probe at 61 s met the TIME-WAIT socket still. The suite's close/time-wait-timeout.pkt waits 63 s.
      case TimeWaitTimeout -> s.waitBeforeNext("+63");
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
      // §3.10.7.3 fourth, then §3.10.7.4's eighth step: the SYN-ACK's FIN enters CLOSE-WAIT at once.
      case SynSentRcvSynAckFin -> {
        s.in("SF. 0:0(0) ack 1 win 65535 <mss 1000>");
        s.rcvNxt = 2;
        s.sndUna = 1;
        s.established = true;
        ackOfFinIntoCloseWait();
      }
      case SynSentRcvOther -> s.in(". 0:0(0) ack 1 win 65535");
      // §3.9.2.2 SHLD-26: port unreachable quoting our SYN; ECONNREFUSED (Linux icmp_err_convert).
      case SynSentRcvIcmpHardError -> {
        s.in("icmp unreachable port_unreachable [0:0(0)]");
        soError(111);
      }
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
        ackOfFinIntoCloseWait();
        establishedByAck(step.passive());
      }
      case TimeWaitRcvNewSyn -> {
        // The new incarnation's ISS is the old SND.NXT + 65535 + 2 (Linux tcp_timewait_state_process;
        // the stack's REOPEN the same). packetdrill learns a socket's ISN once, so the script
        // writes it relative to the first incarnation's.
        int iss = n + 65537;
        s.in("S " + (p + 1000) + ":" + (p + 1000) + "(0) win 65535 <mss 1000>");
        s.rcvNxt = p + 1001;
        s.sndNxt = iss + 1;
        s.sndUna = iss;
        s.established = false;
        s.out("S. " + iss + ":" + iss + "(0) ack " + s.rcvNxt + " <...>");
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
      // Text far beyond the window: always answered (only empty segments are rate-limited). Its
      // ACK is acceptable, so only the sequence check fails: in SYN-RECEIVED that is the ACK of our
      // SYN, not SND.UNA (Linux's request socket checks the ACK before the sequence, tcp_check_req,
      // and a segment failing both would test the ACK check).
      int ack = step.from().equals("SYN-RECEIVED") ? n : u;
      s.in("P. " + (p + 1_000_000) + ":" + (p + 1_000_100) + "(100) ack " + ack + " win 65535");
      s.out(s.ourAck());
    } else if (name.endsWith("RcvRstOutOfWindow")) {
      s.in("R. " + (p + 1_000_000) + ":" + (p + 1_000_000) + "(0) ack " + u + " win 0");
    } else if (name.endsWith("RcvRstExact")) {
      s.in(step.from().equals("SYN-RECEIVED") ? "R " + p + ":" + p + "(0) win 0"
          : "R. " + p + ":" + p + "(0) ack " + u + " win 0");
      boolean userGone = Set.of("CLOSING", "LAST-ACK", "TIME-WAIT").contains(step.from());
      if (!userGone && !(step.from().equals("SYN-RECEIVED") && step.passive() && !step.fastOpen())) reset();
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
      if (!(step.from().equals("SYN-RECEIVED") && step.passive() && !step.fastOpen())) s.out(s.ourAck());
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
      if (step.to().equals("CLOSE-WAIT") && step.from().equals("ESTABLISHED")) {
        ackOfFinIntoCloseWait();
      } else {
        s.out(s.ourAck());
      }
    } else {
      throw new IllegalArgumentException("no stimulus for " + a);
    }
  }

  /**
   * The ACK of the FIN that moves the connection to CLOSE-WAIT. Linux's tcp_fin enters pingpong
   * mode there (inet_csk_enter_pingpong_mode), so __tcp_ack_snd_check may leave the ACK to the
   * delayed-ACK timer: measured 4 to 10 ms after the FIN on Linux 6.18 (a jiffy or two), while
   * other ACKs leave at once. A range, as the suite's close/ scripts write it.
   */
  private void ackOfFinIntoCloseWait() {
    s.at("+0~+.3", "> " + s.ourAck());
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
        if (s.sndNxt == 1000) {
          // Only a listener so far: a SYN with a new ISN is answered with a SYN-ACK.
          s.in("S 5000:5000(0) win 65535 <mss 1000>");
          s.out("S. 0:0(0) ack 5001 <...>");
        } else {
          // A half-open connection went back to LISTEN: the ACK that would have completed it
          // finds only the listener, which answers it with a RST (§3.10.7.2). (A second SYN-ACK
          // cannot be written: packetdrill learns a socket's ISN once.)
          s.in(s.ack(s.sndNxt));
          s.out("R " + s.sndNxt + ":" + s.sndNxt + "(0)");
        }
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
