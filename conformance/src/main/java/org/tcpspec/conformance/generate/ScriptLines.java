package org.tcpspec.conformance.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The body of one generated script and the script's view of its one connection, in packetdrill's
 * relative numbers: inbound sequence numbers count from the peer's ISN, outbound from ours.
 * Inbound segments follow the previous event by 100 ms (an RTT the timer templates assume),
 * everything else happens at once unless the caller gives a time.
 */
final class ScriptLines {
  private final List<String> lines = new ArrayList<>();
  private final TreeSet<Integer> openFds = new TreeSet<>();

  /** The listener's socket, or -1. */
  int listenFd = -1;
  /** The connection's socket once the user holds one (connect, or accept after the handshake), or -1. */
  int fd = -1;
  /** RCV.NXT: the next sequence number the peer sends. */
  int rcvNxt = 1;
  /** SND.NXT and SND.UNA of the local endpoint; 1000 before it has chosen an ISS (as the suite's closed-port scripts). */
  int sndNxt = 1000;
  int sndUna = 1000;
  /** Whether the connection has been established (the reset errno depends on it, §3.10.7.3). */
  boolean established;

  private String nextTime;

  void in(String segment) {
    add("+.1", "< " + segment);
  }

  /** The next line, whatever it is, comes this long after the previous one (a timer's wait). */
  void waitBeforeNext(String time) {
    nextTime = time;
  }

  void out(String segment) {
    add("+0", "> " + segment);
  }

  void call(String syscall) {
    add("+0", syscall);
  }

  /** A line at an explicit time: a range where Linux's timers decide, as the suite's timer scripts. */
  void at(String time, String text) {
    add(time, text);
  }

  private void add(String requested, String text) {
    String time = nextTime != null ? nextTime : requested;
    nextTime = null;
    lines.add((lines.isEmpty() ? "0" : time) + padding(time) + text);
  }

  private static String padding(String time) {
    return " ".repeat(Math.max(1, 9 - time.length()));
  }

  int socket() {
    int s = 3;
    while (openFds.contains(s)) s++;
    openFds.add(s);
    call("socket(..., SOCK_STREAM, IPPROTO_TCP) = " + s);
    return s;
  }

  void close(int s) {
    call("close(" + s + ") = 0");
    openFds.remove(s);
    if (s == fd) fd = -1;
    if (s == listenFd) listenFd = -1;
  }

  int accept() {
    int s = 3;
    while (openFds.contains(s)) s++;
    openFds.add(s);
    call("accept(" + listenFd + ", ..., ...) = " + s);
    return s;
  }

  /** An ACK-only inbound segment at RCV.NXT. */
  String ack(int ack) {
    return ". " + rcvNxt + ":" + rcvNxt + "(0) ack " + ack + " win 65535";
  }

  /** The ACK the local endpoint sends at SND.NXT for RCV.NXT. */
  String ourAck() {
    return ". " + sndNxt + ":" + sndNxt + "(0) ack " + rcvNxt;
  }

  String body() {
    return String.join("\n", lines) + "\n";
  }
}
