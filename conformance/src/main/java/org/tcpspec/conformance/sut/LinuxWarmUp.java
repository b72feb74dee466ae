package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tcpspec.conformance.profile.EventMarks;
import org.tcpspec.conformance.run.Interpreter;
import org.tcpspec.conformance.profile.PhaseProfile;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Variant;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.script.Parser;
import org.tcpspec.conformance.script.Script;
import org.tcpspec.conformance.script.ScriptException;

/**
 * One short script played on a namespace of its own before the first real one of a JVM, so that
 * class loading, the linking of the FFM downcalls (socket calls, the tap, the TUN device) and the
 * first runs of the checking code do not land in the first script's timing: unwarmed, the first
 * calls of a run took 5 to 10 ms each and the first script of every {@code tcpspec run} missed
 * packetdrill's 4 ms; an active open's first SYN check took 7 ms (measured on google/packetdrill's
 * zerocopy/client.pkt, whose blocking connect then returned 10 ms late). It plays both a passive
 * and an active open, with timestamps and SACK, then the per-event path in a loop ({@link #LOOP}).
 * Each address family
 * is warmed before its first script (ipv4 when the run starts, ipv6 and ipv4-mapped-ipv6 before
 * the first script of theirs), with run_all.py's arguments for it: their sockets, sockaddr_in6 and
 * IPv6 paths in the kernel and here are code of their own.
 *
 * <p>Every kind of system call the corpora make often is in it, with nothing to send where a call
 * would change the exchange: the first call of a kind in a JVM links and interprets its path cold,
 * and the script that made it paid for that. Traced (raw_syscalls) under {@code run -j 2} over
 * gtests: the first sendto of a run came 3.1 ms after the fcntl before it, 2.9 ms of them in Java
 * on the interpreter's thread, the next run's first sendto 0.55 ms after its fcntl; gtests
 * fastopen/client/poll was late by that. A socket option given as a structure (SO_LINGER, with
 * {@code onoff=0} here, which changes nothing) has a build path of its own: cold, building the
 * first one of a JVM took 2.5 ms ({@code TCPSPEC_PROFILE=1}'s "call: built" mark), and
 * close/linger-zero-aborts.pkt's setsockopt right after accept came 4.2 ms late in 2 of 4 runs of
 * the suite.
 *
 * <p>A {@code %{ }%} block is played too, on the passive and on the active side (getsockopt
 * TCP_INFO and SO_MEMINFO, the interpreter's code event): cold, the first block of a JVM's first
 * script with one took 5.8 ms, and google/packetdrill's fastopen/client/syn-data-only-syn-acked.pkt
 * judged the ACK due at {@code +0} after it late. The blocks are blank, so no python3 starts for
 * them ({@code PythonCode} runs none for a program of blank blocks).
 *
 * <p>The connecting socket's window is clamped (TCP_WINDOW_CLAMP 262144) before connect, so its
 * SYN's window scale is 3 whatever the machine's buffer sysctls: tcp_select_initial_window scales
 * for the largest of tcp_rmem[2], the global net.core.rmem_max and the clamp, capped by the clamp.
 * Without it the script expected wscale 10 where this machine's kernel sent 7, and every warm-up
 * stopped at that SYN (after waiting 0.5 s for a packet to report late): the active side, its calls
 * and its code block were never warmed. Its verdict is not reported; {@code TCPSPEC_PROFILE=1}
 * prints it when it did not play through, and {@code LinuxWarmUpTest} plays it on the kernel.
 */
final class LinuxWarmUp {
  private LinuxWarmUp() {}

  /**
   * The per-event path, {@link #LOOP_ROUNDS} times: a duplicate of data already received (with
   * timestamps), the kernel's immediate ACK of it with a D-SACK block (tcp_data_queue answers a
   * segment wholly below RCV.NXT at once), and a call. A real script makes a few events of each
   * kind, and with only the handshakes and the calls above the methods on that path (the tap's
   * read, the packet's parse and check, the injected packet's build and write, a call's build,
   * making and check) stayed interpreted in a run with -XX:TieredStopAtLevel=1
   * (-XX:+PrintCompilation listed none of PacketTap.receive, ScriptSocket.checkOutbound and
   * OutboundPackets.outbound, then in Interpreter). With the loop, at the first script's events:
   * the tap's read 44-68 us against 94-139, the check 13-21 us against 33-41 (TCPSPEC_PROFILE=1's marks, google/packetdrill's
   * close/close-remote-fin-then-close.pkt, two runs each). The first packet of a cell (its SYN-ACK)
   * stays slower (read 60-110 us, check 50-65 us): the cell's setup in between leaves the caches cold.
   */
  static final String LOOP = """
      +0  < P. 1:11(10) ack 3001 win 257 <nop,nop,TS val 702 ecr 100>
      +0  > . 3001:3001(0) ack 11 <nop,nop,TS val 100 ecr 702,nop,nop,sack 1:11>
      +0  ioctl(5, SIOCINQ, [0]) = 0
      """;

  /** How many times the warm-up plays {@link #LOOP}: the C1 compiler's threshold is 200 calls. */
  static final int LOOP_ROUNDS = 250;

  static final String SCRIPT = """
      0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
      +0  setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
      +0  bind(3, ..., ...) = 0
      +0  listen(3, 1) = 0
      +0  < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
      +0  > S. 0:0(0) ack 1 <...>
      +0  < . 1:1(0) ack 1 win 257
      +0  accept(3, ..., ...) = 4
      +0  %{ }%
      +0  fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0
      +0  write(4, ..., 1000) = 1000
      +0  send(4, ..., 1000, MSG_DONTWAIT) = 1000
      +0  > P. 1:2001(2000) ack 1
      +0  < . 1:1(0) ack 2001 win 257
      +0  < P. 1:1001(1000) ack 2001 win 257
      +0  > . 2001:2001(0) ack 1001
      +0  ioctl(4, SIOCINQ, [1000]) = 0
      +0  read(4, ..., 1000) = 1000
      +0  readv(4, [{..., 100}], 1) = -1 EAGAIN (Resource temporarily unavailable)
      +0  recvmsg(4, {msg_name(...)=..., msg_iov(1)=[{..., 100}], msg_flags=0}, 0) = -1 EAGAIN (Resource temporarily unavailable)
      +0  sendto(4, ..., 0, 0, ..., ...) = 0
      +0  sendmsg(4, {msg_name(...)=..., msg_iov(1)=[{..., 0}], msg_flags=0}, 0) = 0
      +0  writev(4, [{..., 0}], 1) = 0
      +0  ioctl(4, SIOCOUTQ, [0]) = 0
      +0  getsockopt(4, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
      +0  poll([{fd=4, events=POLLIN|POLLOUT}], 1, 0) = 1
      +0  `true`
      +0  setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=0, linger=0}, 8) = 0
      +0  close(4) = 0
      +0  > F. 2001:2001(0) ack 1001
      +0  close(3) = 0
      +0  socket(..., SOCK_STREAM, IPPROTO_TCP) = 5
      +0  setsockopt(5, IPPROTO_TCP, TCP_WINDOW_CLAMP, [262144], 4) = 0
      +0...0 connect(5, ..., ...) = 0
      +0  > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 3>
      +0  < S. 0:0(0) ack 1 win 32792 <mss 1000,sackOK,TS val 700 ecr 100,nop,wscale 7>
      +0  %{ }%
      +0  > . 1:1(0) ack 1 <nop,nop,TS val 100 ecr 700>
      +0  write(5, ..., 3000) = 3000
      +0  > P. 1:3001(3000) ack 1 <nop,nop,TS val 100 ecr 700>
      +0  < . 1:1(0) ack 1001 win 257 <nop,nop,TS val 701 ecr 100,nop,nop,sack 2001:3001>
      +0  < P. 1:11(10) ack 3001 win 257 <nop,nop,TS val 702 ecr 100>
      +0  > . 3001:3001(0) ack 11 <nop,nop,TS val 100 ecr 702>
      +0  recv(5, ..., 100, 0) = 10
      """ + LOOP.repeat(LOOP_ROUNDS) + """
      +0  shutdown(5, SHUT_WR) = 0
      +0  > F. 3001:3001(0) ack 11 <nop,nop,TS val 100 ecr 702>
      """;


  /** Timing is not what the warm-up checks: a cold first round is late, and must still play through. */
  private static final long TOLERANCE_MICROS = 1_000_000;

  /** The IP versions warmed so far. */
  private static final Set<String> done = new HashSet<>();

  /** How many times: once loads and links, the second runs what the first compiled. */
  private static final int ROUNDS = 2;

  /** Plays the script in {@code ipVersion}'s variant once per JVM; later calls return at once. */
  static synchronized void run(String ipVersion) {
    if (!done.add(ipVersion)) return;
    Script script = script();
    RunConfig config = config(ipVersion);
    for (int round = 0; round < ROUNDS; round++) {
      PhaseProfile.Phase phase = PhaseProfile.begin("warm-up round " + (round + 1));
      try (LinuxSut sut = LinuxSut.open(config)) {
        RunResult r = new Interpreter(script, sut, config).run();
        // Said on every run, not only when profiling: a warm-up that stops early leaves the
        // per-event path cold, and the first cells' timing shows it (session 11: a host's tcp_rmem
        // changed the SYN-ACK's window scale, and the warm-up stopped at it unseen).
        if (!(r.verdict() instanceof Verdict.Pass)) {
          String why = switch (r.verdict()) {
            case Verdict.Fail f -> f.message();
            case Verdict.Error e -> e.message();
            case Verdict.Unsupported u -> "unsupported: " + String.join(", ", u.features());
            case Verdict v -> v.toString();
          };
          System.err.println("tcpspec: note: the linux warm-up did not play through (the first cells may be late): " + why);
        }
      } catch (IOException | RuntimeException e) {
        return; // A machine where the warm-up cannot run fails the real scripts with the reason.
      } finally {
        phase.end();
        EventMarks.clear();
      }
    }
  }

  /** The warm-up script, parsed. */
  static Script script() {
    try {
      return Parser.parse("warm-up.pkt", SCRIPT);
    } catch (ScriptException e) {
      throw new IllegalStateException("the warm-up script parses", e);
    }
  }

  /** run_all.py's arguments for {@code ipVersion}, with the warm-up's tolerance. */
  static RunConfig config(String ipVersion) {
    try {
      return RunConfig.of(List.of(), Variant.byName(ipVersion).map(Variant::options).orElse(List.of()),
          TOLERANCE_MICROS).config().orElseThrow();
    } catch (RunConfig.BadOption e) {
      throw new IllegalStateException("run_all.py's arguments are valid", e);
    }
  }
}
