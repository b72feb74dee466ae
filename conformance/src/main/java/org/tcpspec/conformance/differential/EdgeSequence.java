package org.tcpspec.conformance.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated sequence: a passive open (with or without timestamps, from a remote ISN that may sit
 * just below 2^32 so that sequence numbers wrap), then {@code body}, then a final {@code read} after
 * {@link #TAIL_MILLIS} that shows what was delivered and lets timers fire. Every line has an
 * absolute time, so dropping a step leaves the others where they were.
 */
record EdgeSequence(long seed, boolean timestamps, long remoteIsn, List<Step> body) {
  /** Time after the last step until the final read: two of Linux's 200 ms minimum RTOs fit. */
  static final long TAIL_MILLIS = 500;
  /** Script time of the first body step. */
  static final long BODY_START_MILLIS = 120;
  /** The script TSval of the SYN-ACK, from which inbound TSecr values are scaled. */
  static final long SYNACK_TSVAL = 5000;
  /** The socket under test's receive buffer: window scale 7, as in the suite's scripts. */
  static final String SYSCTLS =
      "`sysctl -q net.ipv4.tcp_congestion_control=reno net.ipv4.tcp_rmem=\"4096 131072 6291456\"`";
  /** The final read's size: more than a sequence ever delivers. */
  static final int FINAL_READ_BYTES = 1_000_000;

  EdgeSequence {
    body = List.copyOf(body);
  }

  EdgeSequence withBody(List<Step> steps) {
    return new EdgeSequence(seed, timestamps, remoteIsn, steps);
  }

  /** Script time of the final read. */
  long endMillis() {
    return (body.isEmpty() ? BODY_START_MILLIS : body.getLast().atMillis()) + TAIL_MILLIS;
  }

  /** The final read, a call like the body's. */
  Step.Call finalRead() {
    return new Step.Call(endMillis(), "read", FINAL_READ_BYTES);
  }

  /** The options before the first event: tolerance for Linux's timing, TSecr scaling. */
  List<String> options() {
    return options(Differ.TOLERANCE_MICROS);
  }

  private List<String> options(long toleranceMicros) {
    List<String> o = new ArrayList<>();
    o.add("--tolerance_usecs=" + toleranceMicros);
    if (timestamps) o.add("--tcp_ts_ecr_scaled");
    return o;
  }

  /**
   * The passive open every sequence starts with, expected lines included: the SYN-ACK's options
   * are written out with timestamps (TSecr values are scaled from its TSval), left open without.
   */
  List<String> prefix() {
    long isn = remoteIsn;
    String synOptions = timestamps ? "<mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>" : "<mss 1460,nop,nop,sackOK,nop,wscale 7>";
    String synAckOptions = timestamps ? "<mss 1460,sackOK,TS val " + SYNACK_TSVAL + " ecr 100,nop,wscale 7>" : "<...>";
    String ackOptions = timestamps ? " <nop,nop,TS val 110 ecr " + SYNACK_TSVAL + ">" : "";
    return List.of(
        SYSCTLS,
        "0.000 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
        "0.000 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
        "0.000 bind(3, ..., ...) = 0",
        "0.000 listen(3, 1) = 0",
        "0.100 < S " + isn + ":" + isn + "(0) win 65535 " + synOptions,
        "0.100 > S. 0:0(0) ack " + ((isn + 1) & 0xFFFF_FFFFL) + " " + synAckOptions,
        "0.110 < . 1:1(0) ack 1 win 502" + ackOptions,
        "0.110 accept(3, ..., ...) = 4",
        "0.110 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0");
  }

  /**
   * Tolerance of the stimulus script: the reference's run only records, and a late SYN-ACK on a
   * loaded machine must not end it.
   */
  static final long STIMULUS_TOLERANCE_MICROS = 200_000;

  /** Socket calls of the prefix, which the recording sees before the body's. */
  static final int PREFIX_CALLS = 6;

  /** One line per step, for a finding's header. */
  String summary() {
    return String.join(", ", body.stream().map(Step::kind).toList());
  }

  /**
   * The script played on the reference system: the prefix, the body's segments and calls (results
   * guessed; {@code --non_fatal=syscall} makes a wrong guess a warning), the final read.
   */
  String stimulusScript() {
    StringBuilder b = new StringBuilder();
    for (String o : options(STIMULUS_TOLERANCE_MICROS)) b.append(o).append('\n');
    b.append("--non_fatal=syscall\n");
    b.append("// Stimulus of differential sequence ").append(seed).append(": ").append(summary()).append("\n\n");
    for (String l : prefix()) b.append(l).append('\n');
    for (Step s : body) {
      b.append(switch (s) {
        case Step.Inbound i -> i.line(remoteIsn);
        case Step.Call c -> c.line(c.guess());
      }).append('\n');
    }
    b.append(finalRead().line(finalRead().guess())).append('\n');
    return b.toString();
  }
}
