package org.tcpspec.conformance.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
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

  /** Waits (or advances virtual time) until {@code micros}; returns at once if it has passed. */
  void sleepUntil(long micros) throws InterruptedException;

  /**
   * Delivers a segment from the remote side to the system under test and returns when it got
   * there (microseconds since the run started): the moment replies are timed from.
   */
  long inject(Segment segment) throws IOException;

  /** The next segment the system under test sent, waiting until {@code deadlineMicros}. */
  Optional<Sniffed> sniff(long deadlineMicros) throws IOException, InterruptedException;

  /** Starts a socket call; it may block, so the answer comes through {@link Pending}. */
  Pending start(SocketCall call);

  /**
   * Runs a shell command line where the system under test lives, in {@code directory} (the
   * script's folder), as packetdrill's system(3) does; returns its exit status and output.
   */
  ShellResult shell(String commandLine, Path directory) throws IOException, InterruptedException;

  /** getsockopt(TCP_INFO) of a live socket; empty when it has none. */
  Optional<TcpInfo> tcpInfo(int liveFd);

  /**
   * What the run's cell should say besides the verdict, e.g. {@code config: net.ipv4.tcp_ecn} for
   * a setting a shell line made that this system under test does not model.
   */
  default List<String> notes() {
    return List.of();
  }

  @Override
  void close();

  /** A segment the system under test sent and when it was seen. */
  record Sniffed(long micros, Segment segment) {}

  /**
   * A socket call's result and when the call returned. Values the call wrote through pointers are
   * the result's out: getsockopt's option value, poll's revents in the order of the fds.
   */
  record Returned(long micros, SysResult<List<Long>> result) {}

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
