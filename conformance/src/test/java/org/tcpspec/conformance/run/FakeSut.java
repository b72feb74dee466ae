package org.tcpspec.conformance.run;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;

/**
 * An in-memory system under test on a manual clock, for testing the interpreter: it sends the
 * segments a test scheduled, answers socket calls with a function the test gives, and records
 * what was injected. Exact timing, like the java system under test.
 */
final class FakeSut implements SystemUnderTest {
  record Scheduled(long micros, Segment segment) {}

  long now;
  final Deque<Scheduled> outbound = new ArrayDeque<>();
  final List<Segment> injected = new ArrayList<>();
  final List<SocketCall> calls = new ArrayList<>();
  final List<String> shellLines = new ArrayList<>();
  final List<Ipv4Params> injectedIp = new ArrayList<>();
  final List<byte[]> injectedIcmp = new ArrayList<>();
  Function<SocketCall, SysResult<CallOutput>> answer = c -> SysResult.ok(0);
  /** When a call of this kind returns, if later than its start (a blocking call). */
  Function<SocketCall, Long> returnsAt = c -> -1L;
  Map<TcpInfo.Field, Long> tcpInfo = Map.of();
  boolean closed;
  /** When an injection or a call was handed over ({@link #now}) and the time it was given for. */
  record HandOver(long now, long at) {}
  final List<HandOver> injectHandOvers = new ArrayList<>();
  final List<HandOver> startHandOvers = new ArrayList<>();

  FakeSut send(long micros, Segment s) {
    outbound.add(new Scheduled(micros, s));
    return this;
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public boolean exactTiming() {
    return true;
  }

  @Override
  public long nowMicros() {
    return now;
  }

  @Override
  public void sleepUntil(long micros) {
    now = Math.max(now, micros);
  }

  @Override
  public long inject(Segment segment, Ipv4Params ip) {
    injected.add(segment);
    injectedIp.add(ip);
    return now;
  }

  @Override
  public long injectAt(Segment segment, Ipv4Params ip, long atMicros) {
    injectHandOvers.add(new HandOver(now, atMicros));
    sleepUntil(atMicros);
    return inject(segment, ip);
  }

  @Override
  public long injectIcmp(byte[] ipv4Packet) {
    injectedIcmp.add(ipv4Packet);
    return now;
  }

  @Override
  public Optional<Sniffed> sniff(long deadlineMicros) {
    Scheduled next = outbound.peek();
    if (next == null || next.micros() > deadlineMicros) {
      now = Math.max(now, deadlineMicros);
      return Optional.empty();
    }
    outbound.poll();
    now = Math.max(now, next.micros());
    return Optional.of(new Sniffed(next.micros(), next.segment()));
  }

  @Override
  public Pending startAt(SocketCall call, long atMicros) {
    startHandOvers.add(new HandOver(now, atMicros));
    sleepUntil(atMicros);
    return start(call);
  }

  @Override
  public Pending start(SocketCall call) {
    calls.add(call);
    long at = Math.max(now, returnsAt.apply(call));
    Returned timed = new Returned(at, answer.apply(call));
    return deadline -> {
      if (at > deadline) {
        now = Math.max(now, deadline);
        return Optional.empty();
      }
      now = Math.max(now, at);
      return Optional.of(timed);
    };
  }

  @Override
  public ShellResult shell(String commandLine, Path directory) {
    shellLines.add(commandLine);
    return new ShellResult(commandLine.startsWith("false") ? 1 : 0, "");
  }

  @Override
  public Optional<TcpInfo> tcpInfo(int liveFd) {
    return Optional.of(TcpInfo.of(tcpInfo));
  }

  @Override
  public void close() {
    closed = true;
  }
}
