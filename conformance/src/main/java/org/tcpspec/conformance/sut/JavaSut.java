package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.run.CallOutput;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.SystemUnderTest;
import org.tcpspec.conformance.run.UnsupportedFeature;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.Stack;
import org.tcpspec.stack.StackConfig;
import org.tcpspec.time.ManualClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.IcmpError;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentReader;
import org.tcpspec.wire.TcpOption;

/**
 * Our stack as a system under test: a sans-IO {@link Stack} with its {@link SocketApi} on a
 * manual clock, in process. Time moves only when the interpreter asks, from timer deadline to
 * timer deadline, so timing is exact and a script that waits 60 s takes no time. A call that
 * would block is retried after every input and timer step and returns at the virtual time it
 * could complete. The calls themselves are {@link JavaCalls}'s; shell lines run in a network
 * namespace of the cell's own and the settings they change become the stack's {@link StackConfig}
 * (for connections opened afterwards, as on Linux), {@link JavaShell}'s.
 */
public final class JavaSut implements SystemUnderTest {

  private final RunConfig config;
  private final ManualClock clock = new ManualClock();
  private final Stack stack;
  private final SocketApi api;
  private final Deque<Sniffed> outbound = new ArrayDeque<>();
  private final List<Blocked> blocked = new ArrayList<>();
  private final JavaCalls calls;
  private final JavaShell shell;
  /**
   * The CLOCK_REALTIME of virtual time 0, in microseconds: the wall clock when the run began. The
   * timestamps the stack reports (SO_TIMESTAMPING) are this plus the virtual clock's reading.
   */
  private final long realtimeOriginMicros = java.time.Instant.now().toEpochMilli() * 1000;

  /**
   * A call that would block, retried until it completes. A poll or epoll_wait with a positive
   * timeout returns 0 once that much virtual time passed with nothing ready (a negative one waits
   * for ever).
   */
  private final class Blocked implements Pending {
    final SocketCall call;
    final long timeoutAtMicros;
    Optional<Returned> result = Optional.empty();

    Blocked(SocketCall call) {
      this.call = call;
      int millis = switch (call) {
        case SocketCall.Poll p -> p.timeoutMillis();
        case SocketCall.EpollWait e -> e.timeoutMillis();
        default -> -1;
      };
      this.timeoutAtMicros = millis > 0 ? nowMicros() + millis * 1000L : Long.MAX_VALUE;
    }

    void retry() {
      if (result.isPresent()) return;
      result = perform(call);
      if (result.isEmpty() && nowMicros() >= timeoutAtMicros) result = perform(untimed(call));
    }

    @Override
    public Optional<Returned> await(long deadlineMicros) {
      while (result.isEmpty() && nowMicros() < deadlineMicros) step(deadlineMicros);
      return result;
    }
  }

  /**
   * A stack at {@code config}'s local address with its MTU, whose transitions (the TLA+ actions
   * it takes) go to {@code trace}. Under {@code --ip_version=ipv6} the stack has the IPv6 local
   * address too and IPv6 segments go both ways; under ipv4-mapped-ipv6 the wire is IPv4 and the
   * stack's sockets, which take either family, play packetdrill's AF_INET6 sockets (no call the
   * runner makes returns an address, so the socket family shows nowhere else).
   */
  public JavaSut(TraceSink trace, RunConfig config) {
    this.config = config;
    this.stack = new Stack(config.localAddr(), clock, trace, 0x5eed_1234_5678L);
    if (config.ipv6()) stack.ipv6Address(config.localIp());
    stack.config(kernelDefaults().withMtu(config.mtu()));
    this.api = new SocketApi(stack);
    this.calls = new JavaCalls(api, config.socketDomain() == Symbol.AF_INET6.value(), realtimeOriginMicros);
    this.shell = new JavaShell(stack, config.mtu());
  }

  /**
   * The configuration the linux system under test starts a script with: a fresh namespace of
   * Linux 6.16+ (its tcp_rmem max, {@link StackConfig#linux616Defaults}), and this machine's
   * net.core.rmem_max, which Linux keeps for the whole machine, not per namespace (SO_RCVBUF's
   * ceiling; a script cannot change it from its namespace). Where that cannot be read, Linux's
   * default stays.
   */
  static StackConfig kernelDefaults() {
    StackConfig c = StackConfig.linux616Defaults();
    try {
      // By lines: Files.readString read this procfs file (size 0) as its first byte only.
      String rmemMax = java.nio.file.Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).getFirst().strip();
      return c.withSysctl("net.core.rmem_max", rmemMax).orElse(c);
    } catch (IOException | RuntimeException unreadable) {
      return c;
    }
  }

  public static SutFactory factory() {
    return factory(TraceSink.NONE);
  }

  /** As {@link #factory()}, every run's transitions going to {@code trace}. */
  public static SutFactory factory(TraceSink trace) {
    return new SutFactory() {
      @Override
      public String name() {
        return "java";
      }

      @Override
      public Optional<String> unavailable() {
        return Optional.empty();
      }

      @Override
      public boolean parallel() {
        return true;
      }

      @Override
      public SystemUnderTest open(String scriptName, RunConfig config) {
        return new JavaSut(trace, config);
      }
    };
  }

  @Override
  public String name() {
    return "java";
  }

  @Override
  public boolean exactTiming() {
    return true;
  }

  @Override
  public long nowMicros() {
    return clock.nowNanos() / 1000;
  }

  /** Collects what the stack sent, stamped now, and retries blocked calls. */
  private void settle() {
    for (Stack.Sent s : stack.drainSent()) outbound.add(new Sniffed(nowMicros(), s.segment(), s.ip()));
    for (Blocked b : List.copyOf(blocked)) {
      b.retry();
      if (b.result.isPresent()) blocked.remove(b);
    }
    for (Stack.Sent s : stack.drainSent()) outbound.add(new Sniffed(nowMicros(), s.segment(), s.ip()));
  }

  /** The same poll or epoll_wait with timeout 0: what it returns when its time is up. */
  private static SocketCall untimed(SocketCall call) {
    return switch (call) {
      case SocketCall.Poll p -> new SocketCall.Poll(p.fds(), 0);
      case SocketCall.EpollWait e -> new SocketCall.EpollWait(e.epfd(), e.maxEvents(), 0);
      default -> throw new IllegalArgumentException("no timeout: " + call);
    };
  }

  /**
   * Advances to the next timer deadline, a blocked poll's timeout or {@code limitMicros}, whichever
   * comes first.
   */
  private void step(long limitMicros) {
    long next = stack.nextDeadlineNanos();
    for (Blocked b : blocked) {
      if (b.timeoutAtMicros != Long.MAX_VALUE) next = Math.min(next, b.timeoutAtMicros * 1000);
    }
    long limitNanos = limitMicros * 1000;
    if (next <= clock.nowNanos()) {
      stack.runTimers();
    } else if (next <= limitNanos) {
      clock.setNanos(next);
      stack.runTimers();
    } else {
      clock.setNanos(Math.max(clock.nowNanos(), limitNanos));
    }
    settle();
  }

  @Override
  public void sleepUntil(long micros) {
    while (nowMicros() < micros) step(micros);
    settle();
  }

  /**
   * The stack reads of the IP header the addresses and the TOS byte or traffic class (the ECN
   * codepoint, RFC 3168 §5): a packet with a TOS goes in as the bytes it would be on the wire,
   * through the stack's packet reader, as does one larger than {@code --mss}. It has no MD5 signatures (RFC 2385): a packet that needs
   * one is refused, not silently taken as a plain one.
   */
  @Override
  public long inject(Segment segment, Ipv4Params ip) {
    for (TcpOption o : segment.options()) {
      if (o.kind() == KIND_MD5) throw new UnsupportedFeature("TCP MD5 signature option on java");
    }
    long at = nowMicros();
    // Linux's IP layer drops a packet for an address that is not the host's (ip_route_input_slow:
    // the unspecified address a script's packet has after socket() is a martian); TCP never sees it.
    if (!stack.isLocal(segment.dstAddrHigh(), segment.dstAddrLow())) return at;
    // --mss: packetdrill writes every TCP packet to its TUN device as a GSO packet of that segment
    // size, which Linux's receiver takes as the peer's segment size (SegmentView#gsoSize).
    int gso = config.mss().orElse(0);
    if (ip.tos() != 0 || gso > 0 && segment.payloadLength() > gso) {
      SegmentReader packet = new SegmentReader();
      packet.gsoFrom(gso);
      byte[] bytes = SegmentEmitter.emit(segment, ip);
      if (!packet.wrap(bytes, 0, bytes.length)) {
        throw new IllegalStateException("the runner built a packet the stack's reader refuses: " + packet.malformed());
      }
      stack.input(packet);
    } else {
      stack.input(segment);
    }
    settle();
    return at;
  }

  /** The option kind of a feature the stack does not have (RFC 2385). */
  private static final int KIND_MD5 = 19;

  /**
   * An ICMP or ICMPv6 error goes to the stack's ICMP input (RFC 9293 §3.9.2.2); any other message,
   * or one that is not well formed, is dropped there, as the kernel's TCP never sees it.
   */
  @Override
  public long injectIcmp(byte[] packet) {
    long at = nowMicros();
    IcmpError.parse(packet, 0, packet.length).ifPresent(stack::icmpInput);
    settle();
    return at;
  }

  @Override
  public Optional<Sniffed> sniff(long deadlineMicros) {
    while (outbound.isEmpty() && nowMicros() < deadlineMicros) step(deadlineMicros);
    Sniffed s = outbound.poll();
    return Optional.ofNullable(s != null && s.micros() <= deadlineMicros ? s : null)
        .or(() -> {
          if (s != null) outbound.addFirst(s);
          return Optional.empty();
        });
  }

  @Override
  public Pending start(SocketCall call) {
    Blocked b = new Blocked(call);
    b.retry();
    if (b.result.isEmpty()) blocked.add(b);
    settle();
    return b;
  }

  /** The call's result now, or empty when it would block ({@link JavaCalls}). */
  private Optional<Returned> perform(SocketCall call) {
    SysResult<CallOutput> result = calls.result(call);
    if (result == null || result.errno() == Errno.EAGAIN && calls.blocking(call)) return Optional.empty();
    return Optional.of(new Returned(nowMicros(), result));
  }

  /** The line runs in a network namespace of the cell's own; see {@link JavaShell#run}. */
  @Override
  public ShellResult shell(String commandLine, Path directory) throws IOException, InterruptedException {
    return shell.run(commandLine, directory);
  }


  @Override
  public List<String> notes() {
    return shell.notes();
  }

  @Override
  public java.util.OptionalLong microsOfRealtime(long realtimeMicros) {
    return java.util.OptionalLong.of(realtimeMicros - realtimeOriginMicros);
  }

  @Override
  public Optional<TcpInfo> tcpInfo(int liveFd) {
    return api.tcpInfo(liveFd);
  }

  /** SO_MEMINFO's leading counters, those the stack keeps (SocketApi.memInfo). */
  @Override
  public Optional<long[]> skMeminfo(int liveFd) {
    return api.memInfo(liveFd);
  }

  /** Gives back what the shell lines took ({@link JavaShell#close}); the stack and its clock are garbage. */
  @Override
  public void close() {
    shell.close();
  }
}
