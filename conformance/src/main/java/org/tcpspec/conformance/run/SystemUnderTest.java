package org.tcpspec.conformance.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;

/**
 * What the interpreter needs from a TCP implementation under test: a clock, a link to inject
 * packets from the remote side and sniff the packets it sends, socket calls with Linux results
 * and errno values, and a shell. Times are microseconds since the run started. One instance
 * serves one script run; {@link #close()} releases everything it made (namespace, device).
 */
public interface SystemUnderTest extends AutoCloseable {

  /**
   * The local address of the system under test unless {@code --local_ip} says otherwise
   * (192.168.0.1, run_all.py's), as a big-endian int.
   */
  int LOCAL_ADDR = 0xC0A80001;
  /** The remote address the script plays unless {@code --remote_ip} says otherwise (192.0.2.1). */
  int REMOTE_ADDR = 0xC0000201;

  /** Short name used in reports: "linux", "java". */
  String name();

  /** Whether time is virtual and exact (no tolerance needed). */
  boolean exactTiming();

  long nowMicros();

  /**
   * When the script's clock is to start, now or shortly after: a real-time system under test picks
   * the moment packetdrill would (250 us after a jiffy's edge, see {@code linux.JiffyEdge}).
   */
  default long scriptStartMicros() {
    return nowMicros();
  }

  /** Waits (or advances virtual time) until {@code micros}; returns at once if it has passed. */
  void sleepUntil(long micros) throws InterruptedException;

  /**
   * Delivers a segment from the remote side to the system under test, in an IPv4 header with
   * {@code ip}'s TOS, identification, DF and TTL, and returns when it got there (microseconds
   * since the run started): the moment replies are timed from.
   *
   * @throws UnsupportedFeature when the system cannot receive a packet with these IP fields
   */
  long inject(Segment segment, Ipv4Params ip) throws IOException;

  /**
   * {@link #inject} at {@code atMicros}. A real-time system under test prepares the packet before
   * the wait, so that at the time only the write is left, as packetdrill's own work there takes
   * microseconds.
   */
  default long injectAt(Segment segment, Ipv4Params ip, long atMicros) throws IOException, InterruptedException {
    sleepUntil(atMicros);
    return inject(segment, ip);
  }

  /**
   * Delivers an ICMP message from the remote side, a whole IPv4 packet (ICMPv4) or IPv6 packet
   * (ICMPv6, under {@code --ip_version=ipv6}) with correct checksums, and returns when it got there.
   *
   * @throws UnsupportedFeature when the system has no ICMP input
   */
  long injectIcmp(byte[] packet) throws IOException;

  /** The next segment the system under test sent, waiting until {@code deadlineMicros}. */
  Optional<Sniffed> sniff(long deadlineMicros) throws IOException, InterruptedException;

  /** Starts a socket call; it may block, so the answer comes through {@link Pending}. */
  Pending start(SocketCall call);

  /**
   * {@link #start} at {@code atMicros}. A real-time system under test hands the call to the thread
   * that makes it before the wait, and that thread waits for the time itself, as packetdrill's
   * system call thread does (run_system_call.c: the event is enqueued, then wait_for_event runs on
   * that thread), so the hand-off between threads is not part of the call's time.
   */
  default Pending startAt(SocketCall call, long atMicros) throws InterruptedException {
    sleepUntil(atMicros);
    return start(call);
  }

  /**
   * Makes a socket call the script expects to return at once, as packetdrill's main thread makes
   * it: on the caller's thread where the system under test can (no hand-off to another thread
   * delays it or the packets it makes the system send). Empty when it had not returned after
   * {@code limitMicros}; the system under test has then broken it off (a real-time one by shutting
   * its sockets down), and the run fails anyway.
   */
  default Optional<Returned> callAtOnce(SocketCall call, long limitMicros) throws InterruptedException {
    Pending p = start(call);
    return p.await(nowMicros() + limitMicros);
  }

  /**
   * Runs a shell command line where the system under test lives, in {@code directory} (the
   * script's folder), as packetdrill's system(3) does; returns its exit status and output.
   */
  ShellResult shell(String commandLine, Path directory) throws IOException, InterruptedException;

  /** getsockopt(TCP_INFO) of a live socket; empty when it has none. */
  Optional<TcpInfo> tcpInfo(int liveFd);

  /**
   * The socket's memory counters as getsockopt(SO_MEMINFO) gives them, in the kernel's order
   * ({@link PythonCode#SK_MEMINFO}); empty where the system under test has none.
   */
  default Optional<long[]> skMeminfo(int liveFd) {
    return Optional.empty();
  }

  /**
   * What the run's cell should say besides the verdict, e.g. {@code config: net.ipv4.tcp_ecn} for
   * a setting a shell line made that this system under test does not model.
   */
  default List<String> notes() {
    return List.of();
  }

  @Override
  void close();

  /**
   * The system under test's clock reading ({@link #nowMicros()}) at a CLOCK_REALTIME instant, for
   * the timestamps it reports in control messages (SCM_TIMESTAMPING); empty when it reports none.
   */
  default OptionalLong microsOfRealtime(long realtimeMicros) {
    return OptionalLong.empty();
  }

  /** A segment the system under test sent, the IPv4 fields it sent it with, and when it was seen. */
  record Sniffed(long micros, Segment segment, Ipv4Params ip) {
    /** A segment sent with Linux's IPv4 defaults for TCP (TOS 0, DF, TTL 64). */
    public Sniffed(long micros, Segment segment) {
      this(micros, segment, Ipv4Params.DEFAULT);
    }

    /** The same packet stamped at another time (another clock's origin). */
    public Sniffed at(long otherMicros) {
      return new Sniffed(otherMicros, segment, ip);
    }
  }

  /**
   * A socket call's result and when the call returned. What the call wrote through pointers is
   * the result's out ({@link CallOutput}): an option value, poll's revents, a message's control
   * data, epoll's event.
   */
  record Returned(long micros, SysResult<CallOutput> result) {}

  /** Exit status and output of a shell command. */
  record ShellResult(int exitStatus, String output) {}

  /** A socket call in progress. */
  interface Pending {
    /** The result if the call has returned by {@code deadlineMicros}, waiting until then. */
    Optional<Returned> await(long deadlineMicros) throws InterruptedException;

    /**
     * When the call actually entered the system under test, if that is later than when it was
     * started (a hand-off to another thread); -1 when not known. Packets the call makes the
     * system send are timed from here.
     */
    default long enteredMicros() {
      return -1;
    }
  }
}
