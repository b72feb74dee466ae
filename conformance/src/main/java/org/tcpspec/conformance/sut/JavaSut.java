package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
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
 * could complete. Shell lines run in a network namespace of the cell's own and the settings they
 * change become the stack's {@link StackConfig} (for connections opened afterwards, as on Linux);
 * see {@link #shell}.
 */
public final class JavaSut implements SystemUnderTest {

  private final RunConfig config;
  private final ManualClock clock = new ManualClock();
  private final Stack stack;
  private final SocketApi api;
  private final Deque<Sniffed> outbound = new ArrayDeque<>();
  private final List<Blocked> blocked = new ArrayList<>();
  /** Taken from the pool at the first shell line, released at {@link #close}. */
  private SysctlNamespace sysctlNamespace;
  /** The cell's nstat, made at the first shell line, deleted at {@link #close}. */
  private JavaNstat nstat;
  private final List<String> notes = new ArrayList<>();
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

  /** The call's result now, or empty when it would block (null below: a poll that waits). */
  private Optional<Returned> perform(SocketCall call) {
    SysResult<CallOutput> result = switch (call) {
      case SocketCall.Socket s -> {
        int fd = api.socket();
        if ((s.type() & Symbol.SOCK_NONBLOCK.value()) != 0) api.setNonBlocking(fd, true);
        yield SysResult.ok(fd);
      }
      case SocketCall.Bind b ->
          plain(api.bind(b.fd(), b.addr().addr(), b.addr().port()));
      case SocketCall.Listen l -> plain(api.listen(l.fd(), l.backlog()));
      case SocketCall.Accept a -> plain(api.accept(a.fd()));
      case SocketCall.Connect c ->
          plain(api.connect(c.fd(), c.addr().addr(), c.addr().port()));
      // A NULL buffer is a bad address to the socket layer, as to Linux's copy from user space.
      case SocketCall.Write w when w.nullBuffer() -> SysResult.error(Errno.EFAULT);
      // Linux __inet_stream_connect: AF_UNSPEC disconnects (tcp_disconnect).
      case SocketCall.ConnectBare c when c.family() == Symbol.AF_UNSPEC.value() -> plain(api.disconnect(c.fd()));
      case SocketCall.ConnectBare c -> throw new UnsupportedFeature("connect to the bare address family " + c.family() + " on java");
      case SocketCall.Write w -> plain(api.send(w.fd(), w.data(), w.flags()));
      case SocketCall.Read r when r.nullBuffer() -> SysResult.error(Errno.EFAULT);
      case SocketCall.Read r -> plain(api.recv(r.fd(), r.count(), r.flags()));
      case SocketCall.Close c -> plain(api.close(c.fd()));
      case SocketCall.Shutdown sh -> plain(api.shutdown(sh.fd(), sh.how()));
      case SocketCall.SetSockOpt so when JavaErrorQueue.setsTimestamping(so) -> JavaErrorQueue.setTimestamping(api, so);
      case SocketCall.SetSockOpt so -> switch (so.value()) {
        case SocketCall.OptValue.IntValue v -> Symbol.option(so.level(), so.name())
            .map(o -> modelled(o, plain(api.setsockopt(so.fd(), o, v.value()))))
            .orElse(SysResult.error(Errno.ENOPROTOOPT));
        case SocketCall.OptValue.Linger l -> plain(api.setLinger(so.fd(), l.onoff() != 0, l.seconds()));
        case SocketCall.OptValue.Text t when so.level() == Symbol.SOL_TCP.value()
            && so.name() == Symbol.TCP_FASTOPEN_KEY.value() -> plain(api.setFastOpenKey(so.fd(), t.bytes()));
        case SocketCall.OptValue.Text t -> Symbol.option(so.level(), so.name())
            .map(o -> modelled(o, SysResult.<CallOutput>error(Errno.ENOPROTOOPT)))
            .orElse(SysResult.error(Errno.ENOPROTOOPT));
        case SocketCall.OptValue.Timeval t -> Symbol.option(so.level(), so.name())
            .map(o -> modelled(o, SysResult.<CallOutput>error(Errno.ENOPROTOOPT)))
            .orElse(SysResult.error(Errno.ENOPROTOOPT));
      };
      case SocketCall.GetSockOpt g when g.level() == Symbol.SOL_TCP.value() && g.name() == Symbol.TCP_INFO.value() ->
          api.tcpInfo(g.fd())
              .map(i -> SysResult.ok(0, (CallOutput) new CallOutput.Bytes(
                  java.util.Arrays.copyOf(i.encode(), Math.min(Math.max(g.optlen(), 0), i.length())))))
              .orElse(SysResult.error(Errno.EBADF));
      case SocketCall.GetSockOpt g when g.level() == Symbol.SOL_TCP.value() && g.name() == Symbol.TCP_FASTOPEN_KEY.value() -> {
        SysResult<byte[]> r = api.getFastOpenKey(g.fd(), g.optlen());
        yield r.succeeded() ? SysResult.ok(0, (CallOutput) new CallOutput.Bytes(r.out().orElseThrow()))
            : SysResult.<CallOutput>error(r.errno());
      }
      case SocketCall.GetSockOpt g -> Symbol.option(g.level(), g.name())
          .map(o -> {
            SysResult<Integer> r = api.getsockopt(g.fd(), o);
            return modelled(o, r.succeeded()
                ? SysResult.ok(r.value(), (CallOutput) new CallOutput.Bytes(
                    ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(r.out().orElseThrow()).array()))
                : SysResult.<CallOutput>error(r.errno()));
          })
          .orElse(SysResult.error(Errno.ENOPROTOOPT));
      case SocketCall.Fcntl f -> fcntl(f);
      case SocketCall.Poll p -> {
        List<Long> revents = p.fds().stream().map(x -> (long) api.poll(x.fd(), x.events())).toList();
        long ready = revents.stream().filter(x -> x != 0).count();
        if (ready == 0 && p.timeoutMillis() != 0) yield null; // poll waits for an event
        yield SysResult.ok(ready, new CallOutput.Ints(revents));
      }
      case SocketCall.SendTo t when t.nullBuffer() -> SysResult.error(Errno.EFAULT);
      // Linux tcp_sendmsg_fastopen: an AF_UNSPEC address is EOPNOTSUPP.
      case SocketCall.SendTo t when (t.flags() & Symbol.MSG_FASTOPEN.value()) != 0 ->
          t.to().family() == Symbol.AF_UNSPEC.value() ? SysResult.error(Errno.EOPNOTSUPP)
              : plain(api.sendFastOpen(t.fd(), t.to().addr(), t.to().port(), t.data(), t.flags()));
      case SocketCall.SendTo t -> plain(api.send(t.fd(), t.data(), t.flags()));
      case SocketCall.SendMsg m -> sendmsg(m);
      case SocketCall.Writev w -> throw new UnsupportedFeature("writev on java");
      case SocketCall.Readv r -> throw new UnsupportedFeature("readv on java");
      case SocketCall.RecvMsg m -> recvmsg(m);
      case SocketCall.Ioctl i -> JavaIoctl.ioctl(api, i);
      case SocketCall.EpollCreate e -> plain(api.epollCreate(e.size()));
      case SocketCall.EpollCtl e -> epollCtl(e);
      case SocketCall.EpollWait e -> epollWait(e);
      case SocketCall.Open o -> throw new UnsupportedFeature("open on java (no files)");
      case SocketCall.Pipe p -> throw new UnsupportedFeature("pipe on java");
      case SocketCall.SendFile f -> throw new UnsupportedFeature("sendfile on java");
      case SocketCall.Splice sp -> throw new UnsupportedFeature("splice on java");
    };
    if (result == null || result.errno() == Errno.EAGAIN && blocking(call)) return Optional.empty();
    return Optional.of(new Returned(nowMicros(), result));
  }

  /**
   * Whether the call is made on a blocking socket, where EAGAIN means the call waits: the socket
   * API answers EAGAIN on a blocking socket too when a call cannot complete yet ({@link SocketApi}).
   */
  private boolean blocking(SocketCall call) {
    return switch (call) {
      case SocketCall.Accept a -> !api.nonBlocking(a.fd());
      case SocketCall.Connect c -> !api.nonBlocking(c.fd());
      case SocketCall.Write w -> !api.nonBlocking(w.fd());
      case SocketCall.SendMsg m -> !api.nonBlocking(m.fd()) && (m.flags() & Symbol.MSG_DONTWAIT.value()) == 0;
      case SocketCall.SendTo t -> !api.nonBlocking(t.fd()) && (t.flags() & Symbol.MSG_DONTWAIT.value()) == 0;
      // recv(MSG_OOB) never blocks (Linux tcp_recv_urg).
      case SocketCall.Read r -> !api.nonBlocking(r.fd()) && (r.flags() & Symbol.MSG_OOB.value()) == 0;
      case SocketCall.RecvMsg m -> (m.flags() & Symbol.MSG_ERRQUEUE.value()) == 0 && !api.nonBlocking(m.fd());
      default -> false;
    };
  }

  /** epoll_ctl on the stack's epoll; an epoll instance inside another is not modelled. */
  private SysResult<CallOutput> epollCtl(SocketCall.EpollCtl e) {
    if (api.isEpoll(e.fd())) throw new UnsupportedFeature("an epoll instance in an epoll instance on java");
    return plain(api.epollCtl(e.epfd(), e.op(), e.fd(), e.events(), e.data()));
  }

  /**
   * epoll_wait: the events ready now, the first one as packetdrill compares it; with none and a
   * timeout other than 0 the call waits (null), as poll does, and is retried after every step.
   */
  private SysResult<CallOutput> epollWait(SocketCall.EpollWait e) {
    SysResult<long[]> r = api.epollWait(e.epfd(), e.maxEvents());
    if (!r.succeeded()) return SysResult.error(r.errno());
    if (r.value() == 0 && e.timeoutMillis() != 0) return null;
    long[] first = r.out().orElseThrow();
    return SysResult.ok(r.value(), new CallOutput.EpollEvent((int) first[0], first[1]));
  }

  /** fcntl F_GETFL and F_SETFL with O_NONBLOCK, the only file status flag a socket here has. */
  private SysResult<CallOutput> fcntl(SocketCall.Fcntl f) {
    if (f.cmd() == Symbol.F_SETFL.value()) {
      return plain(api.setNonBlocking(f.fd(), (f.arg() & Symbol.O_NONBLOCK.value()) != 0));
    }
    if (f.cmd() == Symbol.F_GETFL.value()) {
      return SysResult.ok(Symbol.O_RDWR.value() | (api.nonBlocking(f.fd()) ? Symbol.O_NONBLOCK.value() : 0));
    }
    return SysResult.error(Errno.EINVAL);
  }

  /**
   * The result of an option call, unless the stack answered ENOPROTOOPT for an option Linux has:
   * then the stack lacks the option, and the script is unsupported on java rather than failed.
   */
  private static SysResult<CallOutput> modelled(Symbol option, SysResult<CallOutput> r) {
    if (r.errno() == Errno.ENOPROTOOPT) throw new UnsupportedFeature("socket option " + option + " on java");
    return r;
  }

  /**
   * recvmsg: from the error queue (MSG_ERRQUEUE) a transmit timestamp or a MSG_ZEROCOPY completion
   * ({@link JavaErrorQueue}), else a read of the iovecs' total with TCP_INQ's TCP_CM_INQ message
   * when the option is on. Control messages as the kernel lays them out: an 8-byte cmsg_len,
   * level, type, data padded to 8 (CMSG_SPACE).
   */
  private SysResult<CallOutput> recvmsg(SocketCall.RecvMsg m) {
    if ((m.flags() & Symbol.MSG_ERRQUEUE.value()) != 0) {
      return JavaErrorQueue.recv(api, m, config.socketDomain() == Symbol.AF_INET6.value(), realtimeOriginMicros);
    }
    int total = m.iovLengths().stream().mapToInt(Integer::intValue).sum();
    SysResult<byte[]> r = api.read(m.fd(), total);
    if (!r.succeeded()) return SysResult.error(r.errno());
    byte[] control = api.inqHint(m.fd())
        .map(left -> cmsg(Symbol.SOL_TCP.value(), Symbol.TCP_CM_INQ.value(),
            ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(left).array()))
        .orElse(new byte[0]);
    return SysResult.ok(r.value(), new CallOutput.Message(0, control));
  }

  /**
   * sendmsg: the iovecs' bytes as one send with its flags. Control messages are not modelled, nor
   * the page fragments a MSG_ZEROCOPY send pins (Linux starts a new skb, and a PSH, after
   * MAX_SKB_FRAGS of them).
   */
  private SysResult<CallOutput> sendmsg(SocketCall.SendMsg m) {
    if (m.control().length > 0) throw new UnsupportedFeature("sendmsg control messages on java");
    if ((m.flags() & Symbol.MSG_ZEROCOPY.value()) != 0 && m.iovLengths().size() > MAX_SKB_FRAGS) {
      throw new UnsupportedFeature("MSG_ZEROCOPY's page fragments (more than MAX_SKB_FRAGS iovecs) on java");
    }
    int total = m.iovLengths().stream().mapToInt(Integer::intValue).sum();
    if ((m.flags() & Symbol.MSG_FASTOPEN.value()) != 0 && m.name().isPresent()) {
      SocketCall.SockAddr to = m.name().get();
      return plain(api.sendFastOpen(m.fd(), to.addr(), to.port(), new byte[total], m.flags()));
    }
    return plain(api.send(m.fd(), new byte[total], m.flags()));
  }

  /** Linux's MAX_SKB_FRAGS with 4 KB pages. */
  private static final int MAX_SKB_FRAGS = 17;

  private static final int CMSG_HEADER = 16;

  private static byte[] cmsg(int level, int type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(CMSG_HEADER + ((data.length + 7) & ~7)).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(CMSG_HEADER + data.length).putInt(level).putInt(type).put(data);
    return b.array();
  }

  /** A socket API result as the runner sees it: the value and errno, nothing written out. */
  private static SysResult<CallOutput> plain(SysResult<?> r) {
    return r.succeeded() ? SysResult.ok(r.value()) : SysResult.error(r.errno());
  }

  /**
   * The line runs in a namespace of the cell's own ({@link SysctlNamespace}: pooled, reset between
   * cells), from the current directory, as on the linux system under test; each net.ipv4 /
   * net.core sysctl it changed goes to the stack's {@link StackConfig} when the stack models it, and is noted as
   * {@code config: <sysctl>} when it does not; those Linux keeps only outside namespaces come from
   * the line's text ({@link GlobalSysctls}). A queueing discipline the line installs on tun0
   * (google/packetdrill's fq for pacing, a pfifo that drops everything) never sees the stack's
   * packets, which do not cross a device: noted as {@code config: tc qdisc}. A line that sets tun0's
   * MTU sets the stack's device MTU (the MSS its SYNs and SYN-ACKs advertise, as Linux's advmss
   * follows the route's MTU). {@code ip tcp_metrics flush} empties the stack's Fast Open cookie
   * cache, its only TCP metrics. {@code nstat} shows the stack's counters, not the namespace's
   * ({@link JavaNstat}). Where no namespace can be made, a {@code sysctl} line is still applied from
   * its text and any other line fails, saying why.
   */
  @Override
  public ShellResult shell(String commandLine, Path directory) throws IOException, InterruptedException {
    Optional<String> why = SysctlNamespace.whyUnavailable();
    if (why.isPresent()) return withoutNamespace(commandLine, why.get());
    if (sysctlNamespace == null) sysctlNamespace = SysctlNamespace.take();
    if (nstat == null) nstat = JavaNstat.create();
    GlobalSysctls.Split split = GlobalSysctls.split(commandLine);
    SysctlNamespace.Outcome outcome = split.runRest()
        ? sysctlNamespace.run(split.rest(), directory, nstat.before(JavaNstat.counters(stack.mib())))
        : new SysctlNamespace.Outcome(0, "", Map.of());
    if (TC_QDISC.matcher(commandLine).find() && !notes.contains("config: tc qdisc")) notes.add("config: tc qdisc");
    // The kernel's TCP metrics, Fast Open cookies among them, are the stack's own: flush those.
    if (TCP_METRICS_FLUSH.matcher(commandLine).find()) stack.flushTcpMetrics();
    Map<String, String> changes = new java.util.LinkedHashMap<>(split.global());
    changes.putAll(outcome.changed());
    StackConfig config = stack.config();
    for (Map.Entry<String, String> changed : changes.entrySet()) {
      Optional<StackConfig> applied = config.withSysctl(changed.getKey(), changed.getValue());
      if (applied.isPresent()) {
        config = applied.get();
      } else if (!notes.contains("config: " + changed.getKey())) {
        notes.add("config: " + changed.getKey());
      }
    }
    if (outcome.tun0Mtu().isPresent()) config = config.withMtu(outcome.tun0Mtu().getAsInt());
    stack.config(config);
    return new ShellResult(outcome.exitStatus(), outcome.output());
  }

  private static final Pattern TCP_METRICS_FLUSH = Pattern.compile("\\bip\\s+tcp_metrics\\s+flush\\b");
  private static final Pattern TC_QDISC = Pattern.compile("\\btc\\s+qdisc\\s+(add|replace|change)\\b");

  private ShellResult withoutNamespace(String commandLine, String why) {
    if (commandLine.strip().startsWith("sysctl ")) {
      List<String> refused = new ArrayList<>();
      StackConfig config = stack.config();
      var m = Pattern.compile("([\\w.]+)=(\"[^\"]*\"|\\S+)").matcher(commandLine);
      while (m.find()) {
        var changed = config.withSysctl(m.group(1), m.group(2));
        if (changed.isPresent()) config = changed.get();
        else refused.add(m.group());
      }
      if (refused.isEmpty()) {
        stack.config(config);
        return new ShellResult(0, "");
      }
      return new ShellResult(1, "the java stack has no sysctl " + String.join(", ", refused));
    }
    return new ShellResult(127, "the java stack runs shell lines in a network namespace, and none can be made"
        + " here: " + why);
  }

  @Override
  public List<String> notes() {
    return List.copyOf(notes);
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

  /**
   * Returns the shell namespace, if a line took one, to the pool and deletes the cell's nstat
   * folder; the stack and its clock are garbage.
   */
  @Override
  public void close() {
    if (sysctlNamespace != null) sysctlNamespace.release();
    sysctlNamespace = null; // released once: another cell may hold it now
    if (nstat != null) nstat.close();
    nstat = null;
  }
}
