package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.linux.DeadlineSleep;
import org.tcpspec.conformance.linux.EpollEvent;
import org.tcpspec.conformance.linux.JiffyEdge;
import org.tcpspec.conformance.linux.KernelSockets;
import org.tcpspec.conformance.linux.NamespaceShell;
import org.tcpspec.conformance.linux.PacketTap;
import org.tcpspec.conformance.linux.PollFd;
import org.tcpspec.conformance.linux.ReceivedMessage;
import org.tcpspec.conformance.linux.ThreadPriority;
import org.tcpspec.conformance.run.CallOutput;
import org.tcpspec.conformance.run.PhaseProfile;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.SystemUnderTest;
import org.tcpspec.device.linux.Ipv4Cidr;
import org.tcpspec.device.linux.Ipv6Cidr;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.SockAddr;
import org.tcpspec.device.linux.SockAddrIn;
import org.tcpspec.device.linux.SockAddrIn6;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.device.linux.TunDevice;
import org.tcpspec.device.linux.TunOffloads;
import org.tcpspec.device.linux.VirtioNetHeader;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.ParseResult;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentParser;

/**
 * The Linux kernel as a system under test: a namespace made for one script (kernel side
 * 192.168.0.1 on tun0, the script's side 192.0.2.1 reached through it), packets written to and
 * read from the TUN device, socket calls on kernel sockets through FFM, real time. The kernel's
 * packets are timed by a {@link PacketTap} on the TUN interface, which carries the kernel's own
 * transmit stamp (as packetdrill's packet socket does), so a reader thread's wake-up latency never
 * counts against the kernel; a second thread drains the TUN device so the kernel is never held up
 * by a full device queue. An injected packet is timed when its write starts, the kernel taking it
 * in within the write. Waits end on time through {@link DeadlineSleep}. The TUN device is packetdrill's (netdev.c: IFF_VNET_HDR and TSO
 * offloads), so the kernel's TCP sends super-packets that the tap sees whole, as packetdrill's
 * sniffer does: a 2000-byte write on an MSS-1000 connection is one {@code P. 1:2001(2000)}, not two
 * segments. Under {@code --ip_version=ipv6} the device carries the local IPv6 address and the
 * packets both ways are IPv6 (ICMPv6 included); under ipv4-mapped-ipv6 the wire is IPv4 and only the
 * sockets are AF_INET6 (see {@link #device} and {@link #live}). {@link #close()} removes the
 * namespace, also when the run failed.
 */
public final class LinuxSut implements SystemUnderTest {

  private final Netns netns;
  private final RunConfig config;
  private final TunDevice tun;
  private final KernelSockets sockets;
  /**
   * CLOCK_REALTIME when the run started, in microseconds: the run's clock is the kernel's realtime
   * clock, as packetdrill's (now_usecs is gettimeofday), because the kernel stamps in it both the
   * packets the tap sees and the SCM_TIMESTAMPING of sockets. So no stamp is moved from one clock
   * to another, which took two clock reads in a row, and a thread preempted between them (by
   * milliseconds when two cells share the CPUs) shifted every stamp by the preemption.
   */
  private final long startMicros;
  /** Whether the run's threads play at real-time priority (the thread that opened it did). */
  private final boolean realTime;
  /** The thread that opened the run and plays it, which is inside the namespace until close. */
  private final Thread owner;
  private final KernelSockets.Joined inNamespace;
  /** The kernel's packets, read from the tap and not yet handed to the interpreter. */
  private final ArrayDeque<Sniffed> sniffed = new ArrayDeque<>();
  private final PacketTap tap;
  private final Thread drainer;
  private final ExecutorService calls;
  /**
   * When ({@link System#nanoTime()}) the call running on the interpreter's thread is to be broken
   * off, {@link #NO_CALL} when none runs (see {@link #callAtOnce}).
   */
  private final AtomicLong atOnceDeadline = new AtomicLong(NO_CALL);
  private static final long NO_CALL = Long.MIN_VALUE;
  /** How often the watchdog looks at {@link #atOnceDeadline}. */
  private static final long WATCHDOG_PERIOD_NANOS = 100_000_000L;
  /**
   * Breaks off a call that should have returned at once; started before the clock, since starting
   * a thread at the first call made it 0.3 ms late.
   */
  private final Thread watchdog;
  private volatile boolean closing;
  /** The script's shell lines' parent process, started at the first line. */
  private Optional<NamespaceShell> shell = Optional.empty();

  private LinuxSut(Netns netns, RunConfig config, TunDevice tun, PacketTap tap, boolean realTime)
      throws IOException {
    this.netns = netns;
    this.realTime = realTime;
    this.config = config;
    this.tun = tun;
    this.tap = tap;
    this.sockets = new KernelSockets(netns);
    // The first socket call links the FFM downcalls; do it before the clock starts.
    var warm = sockets.socket(Symbol.AF_INET.value(), Symbol.SOCK_STREAM.value(), 0);
    if (warm.succeeded()) sockets.close(warm.intValue());
    this.calls = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(() -> {
        if (realTime) ThreadPriority.realTime();
        r.run();
      }, netns.name() + "-call");
      t.setDaemon(true);
      return t;
    });
    // Start a call thread now, so the first socket call of the script is not delayed by the
    // creation of one.
    try {
      calls.submit(() -> { }).get();
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("starting the socket call thread", e);
    }
    // The drainer and the watchdog keep the normal policy of the thread opening the run: nothing
    // is timed by them.
    this.drainer = new Thread(this::drainLoop, netns.name() + "-drainer");
    drainer.setDaemon(true);
    drainer.start();
    this.watchdog = new Thread(this::watchdogLoop, netns.name() + "-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    if (realTime) ThreadPriority.realTime();
    this.owner = Thread.currentThread();
    this.inNamespace = sockets.joinNamespace();
    this.startMicros = realtimeMicros();
  }

  /** CLOCK_REALTIME in microseconds. */
  private static long realtimeMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  /**
   * Starts the JVM's ipv4 warm-up ({@link LinuxWarmUp}: two rounds of a short script, 0.3-0.5 s)
   * on a thread of its own, so the CLI can parse its arguments meanwhile on the other CPU instead
   * of before it. The thread that parses must touch none of the classes the warm-up initialises
   * until {@link #awaitWarmUp} returns (two threads initialising classes that need each other
   * deadlock); picocli and the CLI's option classes are not among them. The warm-up then runs at
   * the normal policy rather than the suite's real-time one: its timing is not judged.
   */
  public static Thread warmUpInBackground() {
    return Thread.ofPlatform().daemon().name("linux-warm-up").start(() -> LinuxWarmUp.run("ipv4"));
  }

  /** Waits for {@code warmUp} ({@link #warmUpInBackground}) to end. */
  public static void awaitWarmUp(Thread warmUp) {
    try {
      warmUp.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@link #warmUpPacketPath} has run in this JVM. */
  private static boolean packetPathWarm;

  /**
   * Runs the packet path before the first clock of the JVM starts, so that class loading and the
   * first JIT of the parser and emitter do not count against the first packet's timing. Once per
   * JVM: the compiled code stays, and 4,000 more rounds before every script cost 20 to 200 ms a
   * cell (more on a loaded machine) for nothing.
   */
  private static synchronized void warmUpPacketPath() {
    if (packetPathWarm) return;
    packetPathWarm = true;
    Segment s = new Segment(REMOTE_ADDR, LOCAL_ADDR, 1, 2, 3, 4, 0x10, 5, 0,
        List.of(new org.tcpspec.wire.TcpOption.Mss(1000)), new byte[1]);
    Segment s6 = s.withAddresses(IpAddress.parse("2001:db8::1"), IpAddress.parse("fd3d:fa7b:d17d::1"));
    for (int i = 0; i < 2000; i++) {
      for (Segment each : List.of(s, s6)) {
        byte[] b = SegmentEmitter.emit(each);
        SegmentParser.parse(b, 0, b.length);
      }
    }
  }

  /** Whether this JVM has looked for namespaces that killed runs left. */
  private static boolean staleRemoved;

  /**
   * Deletes, once per JVM before its first namespace, those that runs killed by SIGKILL left (their
   * process is gone; {@link Netns#removeStale}), so a kill -9 leaves nothing past the next run.
   */
  private static synchronized void removeStaleNamespaces() {
    if (staleRemoved) return;
    staleRemoved = true;
    try {
      for (String name : Netns.removeStale()) {
        System.err.println("tcpspec: removed network namespace " + name + ", left by a killed run");
      }
    } catch (IOException e) {
      System.err.println("tcpspec: could not look for namespaces left by killed runs: " + e.getMessage());
    }
  }

  /**
   * Makes the namespace and the TUN device as packetdrill's netdev.c sets its own up for {@code
   * config}: the local address with the prefix of {@code --netmask_ip}, the remote prefix routed
   * out of the device, the MTU; undoes both when either fails.
   */
  public static LinuxSut open(RunConfig config) throws IOException {
    // Set up at the normal policy, so that this cell's setup (the ip processes above all) does not
    // hold up another cell's threads on a CPU (see ThreadPriority); the run plays at the policy
    // the calling thread came with.
    boolean realTime = ThreadPriority.isRealTime();
    if (realTime) ThreadPriority.normal();
    try {
      warmUpPacketPath();
      removeStaleNamespaces();
      PhaseProfile.Phase create = PhaseProfile.begin("setup: netns create");
      Netns ns = Netns.create("sut");
      create.end();
      TunDevice tun = null;
      try {
        PhaseProfile.Phase device = PhaseProfile.begin("setup: tun, tap");
        tun = TunDevice.open(ns, device(config));
        PacketTap tap = PacketTap.open(ns, tun.name());
        device.end();
        PhaseProfile.Phase threads = PhaseProfile.begin("setup: threads");
        LinuxSut sut = new LinuxSut(ns, config, tun, tap, realTime);
        threads.end();
        return sut;
      } catch (IOException | RuntimeException e) {
        try {
          if (tun != null) tun.close();
        } finally {
          ns.close();
        }
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      if (realTime) ThreadPriority.realTime();
      throw e;
    }
  }

  /**
   * The TUN device of a run: under ipv4 and ipv4-mapped-ipv6 the local IPv4 address with its
   * prefix and the remote prefix routed to the device; under ipv6 (netdev.c's
   * net_add_ipv6_address and route_traffic_to_device) the local IPv6 address with prefix 48, added
   * without duplicate address detection, and the remote prefix routed to the device. The route
   * needs no next hop on a point-to-point device, so {@code --gateway_ip} is not used. Under ipv6
   * the device keeps packetdrill's IPv4 address too, without routes: nothing is sent to it.
   */
  static TunConfig device(RunConfig config) {
    TunConfig base = TunConfig.packetdrill();
    if (!config.ipv6()) {
      return new TunConfig(base.name(), config.mtu(), new Ipv4Cidr(config.localAddr(), config.prefixLength()),
          base.txQueueLength(), List.of(new Ipv4Cidr(config.remoteAddr(), config.remotePrefixLength())))
          .withOffloads(TunOffloads.PACKETDRILL);
    }
    return new TunConfig(base.name(), config.mtu(), new Ipv4Cidr(LOCAL_ADDR, 16), base.txQueueLength(), List.of())
        .withOffloads(TunOffloads.PACKETDRILL)
        .withIpv6(new Ipv6Cidr(config.localIp(), config.prefixLength()))
        .withIpv6Routes(List.of(new Ipv6Cidr(config.remoteIp(), config.remotePrefixLength())));
  }

  /** The factory {@code --sut linux} uses: root and /dev/net/tun are needed. */
  public static SutFactory factory() {
    return new SutFactory() {
      @Override
      public String name() {
        return "linux";
      }

      @Override
      public Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
          return Optional.of("needs root (it makes a network namespace and a TUN device per script)");
        }
        if (!new java.io.File("/dev/net/tun").exists()) return Optional.of("needs /dev/net/tun (no TUN driver on this machine)");
        return Optional.empty();
      }

      @Override
      public boolean parallel() {
        return true;
      }

      @Override
      public SystemUnderTest open(String scriptName, RunConfig config) throws IOException {
        LinuxWarmUp.run(config.ipVersion());
        return LinuxSut.open(config);
      }

      @Override
      public void warmUp() {
        LinuxWarmUp.run("ipv4");
      }
    };
  }

  /**
   * Reads one packet from the tap, waiting at most {@code timeoutNanos}: the kernel's own TCP
   * segments go to {@link #sniffed} with the kernel's time. The tap also sees the packets injected
   * into the device, which were timed when written, and the kernel's non-TCP packets (ICMPv6
   * multicast listener reports once the device has IPv6): both are passed over. Runs on the
   * interpreter's thread, so no hand-off between threads adds wake-up latency.
   */
  private void pump(long timeoutNanos) throws IOException {
    Optional<PacketTap.Stamped> p = tap.receive(timeoutNanos);
    if (p.isEmpty()) return;
    byte[] bytes = p.get().packet();
    if (destination(bytes).filter(config.localIp()::equals).isPresent()) return;
    if (SegmentParser.parse(bytes, 0, bytes.length) instanceof ParseResult.Parsed parsed
        && parsed.segment().srcIp().equals(config.localIp())) {
      sniffed.add(new Sniffed(p.get().realtimeNanos() / 1000 - startMicros, parsed.segment(), parsed.ip()));
    }
  }

  private static final int IPV4_HEADER = 20;
  /** Offset of the destination address in an IPv4 header (RFC 791 §3.1). */
  private static final int IPV4_DST = 16;
  private static final int IPV6_HEADER = 40;
  /** Offset of the destination address in an IPv6 header (RFC 8200 §3). */
  private static final int IPV6_DST = 24;

  /** The destination address of an IP packet of either version; empty when it is too short for one. */
  static Optional<IpAddress> destination(byte[] packet) {
    if (packet.length == 0) return Optional.empty();
    int version = (packet[0] & 0xFF) >>> 4;
    if (version == 4 && packet.length >= IPV4_HEADER) {
      return Optional.of(IpAddress.ipv4(ByteBuffer.wrap(packet).getInt(IPV4_DST)));
    }
    if (version == 6 && packet.length >= IPV6_HEADER) {
      return Optional.of(IpAddress.of(java.util.Arrays.copyOfRange(packet, IPV6_DST, IPV6_DST + 16)));
    }
    return Optional.empty();
  }

  /** Reads and drops what the kernel sends into the TUN device; the tap has already seen it. */
  private void drainLoop() {
    while (!closing) {
      try {
        tun.readPacket(50_000_000L);
      } catch (IOException e) {
        if (!closing) throw new java.io.UncheckedIOException(e);
        return;
      }
    }
  }

  @Override
  public String name() {
    return "linux";
  }

  /** The namespace this run lives in ("tcpspec-sut-..."), gone after {@link #close()}. */
  public String namespaceName() {
    return netns.name();
  }

  @Override
  public boolean exactTiming() {
    return false;
  }

  @Override
  public long nowMicros() {
    return realtimeMicros() - startMicros;
  }

  /** 250 us after a jiffy's edge, as packetdrill's schedule_start_time_usecs (see {@link JiffyEdge}). */
  @Override
  public long scriptStartMicros() {
    return JiffyEdge.startMicros(this::nowMicros);
  }

  @Override
  public void sleepUntil(long micros) throws InterruptedException {
    DeadlineSleep.until(this::nowMicros, micros);
  }

  /**
   * Writes the segment into the TUN device and returns when the write started: the kernel takes the
   * packet in within the write (tun_get_user hands it to the stack, whose softirq runs before the
   * write returns), so its answer is stamped after that time. Not the time after the write, as
   * packetdrill's now_usecs for the next event is: on this VM's kernel (PREEMPT_NONE, loaded by
   * other work) a write returned once 6 ms after the kernel had sent its answer, which then looked
   * 6 ms early. Not the tap's stamp of the packet's receipt either, as before: waiting for the tap's
   * copy cost 0.1 to 0.5 ms per packet before the next event could start.
   */
  @Override
  public long inject(Segment segment, Ipv4Params ip) throws IOException {
    byte[] packet = SegmentEmitter.emit(segment, ip);
    return injectPacket(packet, inboundTcpHeader(packet));
  }

  /** {@link #inject}, with the packet emitted before the wait. */
  @Override
  public long injectAt(Segment segment, Ipv4Params ip, long atMicros) throws IOException, InterruptedException {
    byte[] packet = SegmentEmitter.emit(segment, ip);
    VirtioNetHeader header = inboundTcpHeader(packet);
    sleepUntil(atMicros);
    return injectPacket(packet, header);
  }

  @Override
  public long injectIcmp(byte[] packet) throws IOException {
    return injectPacket(packet, VirtioNetHeader.NONE);
  }

  /**
   * With {@code --mss}, every injected TCP packet goes in as a GSO packet of that segment size, as
   * packetdrill's linux_tun_write (netdev.c) sends it: the kernel takes a larger one as the run of
   * segments it stands for, and measures the peer's MSS from the GSO size (tcp_measure_rcv_mss),
   * so a 9000-byte packet leaves tcpi_rcv_mss at the MSS and is charged as GRO would charge it.
   */
  private VirtioNetHeader inboundTcpHeader(byte[] packet) {
    if (config.mss().isEmpty()) return VirtioNetHeader.NONE;
    int type = (packet[0] >> 4) == 6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4;
    return VirtioNetHeader.gso(type, config.mss().getAsInt());
  }

  @Override
  public OptionalLong microsOfRealtime(long realtimeMicros) {
    return OptionalLong.of(realtimeMicros - startMicros);
  }

  private long injectPacket(byte[] bytes, VirtioNetHeader header) throws IOException {
    long start = nowMicros();
    tun.write(header, bytes, 0, bytes.length);
    return start;
  }

  @Override
  public Optional<Sniffed> sniff(long deadlineMicros) throws IOException {
    while (true) {
      Sniffed s = sniffed.poll();
      if (s != null) return Optional.of(s);
      long left = deadlineMicros - nowMicros();
      if (left <= 0) return Optional.empty();
      pump(Math.min(left, 50_000) * 1000);
    }
  }

  @Override
  public Pending start(SocketCall call) {
    return startAt(call, nowMicros());
  }

  /**
   * Hands the call to a call thread at once; that thread waits until {@code atMicros} and makes it,
   * so that waking it (up to milliseconds for an idle vCPU of this kind of VM) happens during the
   * wait, not after it.
   */
  @Override
  public Pending startAt(SocketCall call, long atMicros) {
    CompletableFuture<Long> entered = new CompletableFuture<>();
    CompletableFuture<Path> callThread = new CompletableFuture<>();
    CompletableFuture<Returned> f = CompletableFuture.supplyAsync(() -> {
      callThread.complete(threadSelf());
      try {
        sleepUntil(atMicros);
      } catch (InterruptedException e) {
        throw new IllegalStateException("socket call " + call + " interrupted before it started", e);
      }
      entered.complete(nowMicros());
      SysResult<CallOutput> r = perform(call);
      return new Returned(nowMicros(), r);
    }, calls);
    return new Pending() {
      @Override
      public Optional<Returned> await(long deadlineMicros) throws InterruptedException {
        long left = Math.max(0, deadlineMicros - nowMicros());
        try {
          return Optional.of(f.get(left, TimeUnit.MICROSECONDS));
        } catch (TimeoutException e) {
          return Optional.empty();
        } catch (ExecutionException e) {
          throw new IllegalStateException("socket call " + call + " failed", e.getCause());
        }
      }

      /**
       * Waits, yielding the CPU without sleeping, until the call thread, having entered the call,
       * sleeps in the kernel or the call returned, as packetdrill's enqueue_system_call does
       * (sched_yield and /proc/PID/task/TID/stat): by then what the call sends (a connect's SYN) is
       * on the wire, and the interpreter has not slept, so no wake-up of its own delays the
       * packets that follow.
       */
      @Override
      public long enteredMicros() {
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ENTRY_WAIT_MILLIS);
        while (!f.isDone() && !(entered.isDone() && isSleeping(callThread.getNow(null)))) {
          if (System.nanoTime() > giveUp) return -1;
          Thread.yield();
        }
        return entered.getNow(-1L);
      }
    };
  }

  /**
   * Runs the call on the interpreter's thread, as packetdrill runs a call it expects to return at
   * once on its main thread: no thread hand-off (a wake-up of an idle vCPU takes milliseconds on
   * this kind of VM) delays it or the packets it makes the kernel send. A call that blocks past
   * {@code limitMicros} is broken off by shutting this run's sockets down from a timer thread.
   */
  @Override
  public Optional<Returned> callAtOnce(SocketCall call, long limitMicros) {
    // A deadline in a field that the watchdog looks at now and then, rather than a timer task per
    // call: scheduling and cancelling one woke the timer thread twice per call, and those wake-ups
    // of another CPU added up over a script's calls (the relative times after them drift).
    long deadline = System.nanoTime() + limitMicros * 1000;
    atOnceDeadline.set(deadline);
    SysResult<CallOutput> r = perform(call);
    long returned = nowMicros();
    boolean onTime = atOnceDeadline.compareAndSet(deadline, NO_CALL);
    return onTime ? Optional.of(new Returned(returned, r)) : Optional.empty();
  }

  /** Shuts this run's sockets down when a call on the interpreter's thread is past its deadline. */
  private void watchdogLoop() {
    while (!closing) {
      LockSupport.parkNanos(WATCHDOG_PERIOD_NANOS);
      long deadline = atOnceDeadline.get();
      if (deadline != NO_CALL && System.nanoTime() - deadline > 0 && atOnceDeadline.compareAndSet(deadline, NO_CALL)) {
        sockets.shutdownAll();
      }
    }
  }

  /** The calling thread's /proc/PID/task/TID folder; null where /proc/thread-self is missing. */
  private static Path threadSelf() {
    try {
      return Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** Whether the thread is asleep (state S or D in its stat, after the command's parenthesis). */
  private static boolean isSleeping(Path thread) {
    if (thread == null) return false;
    try {
      String stat = Files.readString(thread.resolve("stat"));
      int close = stat.lastIndexOf(')');
      if (close < 0 || close + 2 >= stat.length()) return false;
      char state = stat.charAt(close + 2);
      return state == 'S' || state == 'D';
    } catch (IOException e) {
      return false;
    }
  }

  /** How long the interpreter waits for a call thread to pick up a blocking call. */
  private static final long ENTRY_WAIT_MILLIS = 100;

  private SysResult<CallOutput> perform(SocketCall call) {
    return switch (call) {
      case SocketCall.Socket s -> result(sockets.socket(s.domain(), s.type(), s.protocol()));
      case SocketCall.Bind b -> result(sockets.bind(b.fd(), live(b.addr()).orElseThrow()));
      case SocketCall.Listen l -> result(sockets.listen(l.fd(), l.backlog()));
      case SocketCall.Accept a -> result(sockets.accept(a.fd()));
      case SocketCall.Connect c -> result(sockets.connect(c.fd(), live(c.addr()).orElseThrow()));
      case SocketCall.ConnectBare c -> result(sockets.connectBare(c.fd(), c.family()));
      case SocketCall.SendTo t -> result(sockets.sendto(t.fd(), t.data(), t.nullBuffer(), t.flags(), live(t.to()),
          t.to().family()));
      case SocketCall.SendMsg m -> result(sockets.sendmsg(m.fd(), m.iovLengths(),
          m.name().flatMap(LinuxSut::live), m.control(), m.flags()));
      case SocketCall.Writev w -> result(sockets.writev(w.fd(), w.iovLengths()));
      case SocketCall.Write w when w.nullBuffer() ->
          result(sockets.writeFromNull(w.fd(), w.data().length, w.flags()));
      case SocketCall.Write w -> result(w.flags() == 0 ? sockets.write(w.fd(), w.data())
          : sockets.send(w.fd(), w.data(), w.flags()));
      case SocketCall.Read r when r.nullBuffer() -> result(sockets.readIntoNull(r.fd(), r.count(), r.flags()));
      case SocketCall.Read r -> result(r.flags() == 0 ? sockets.read(r.fd(), r.count())
          : sockets.recv(r.fd(), r.count(), r.flags()));
      case SocketCall.Readv r -> result(sockets.readv(r.fd(), r.iovLengths()));
      case SocketCall.RecvMsg m -> {
        SysResult<ReceivedMessage> r = sockets.recvmsg(m.fd(), m.iovLengths(), m.control(), m.msgFlags(), m.flags());
        yield r.succeeded()
            ? SysResult.ok(r.value(), new CallOutput.Message(r.out().orElseThrow().flags(), r.out().orElseThrow().control()))
            : result(r);
      }
      case SocketCall.Close c -> result(sockets.close(c.fd()));
      case SocketCall.Shutdown s -> result(sockets.shutdown(s.fd(), s.how()));
      case SocketCall.SetSockOpt s -> result(sockets.setsockopt(s.fd(), s.level(), s.name(), optionBytes(s.value()), s.optlen()));
      case SocketCall.GetSockOpt g -> {
        SysResult<byte[]> r = sockets.getsockopt(g.fd(), g.level(), g.name(), g.optlen());
        yield r.succeeded() ? SysResult.ok(r.value(), new CallOutput.Bytes(r.out().orElseThrow())) : result(r);
      }
      case SocketCall.Fcntl f -> result(sockets.fcntl(f.fd(), f.cmd(), (int) f.arg()));
      case SocketCall.Ioctl i -> {
        if (!i.intArgument()) yield result(sockets.ioctl(i.fd(), i.request()));
        SysResult<Integer> r = sockets.ioctlInt(i.fd(), i.request());
        yield r.succeeded() ? SysResult.ok(r.value(), ints(List.of(r.out().orElseThrow()))) : result(r);
      }
      case SocketCall.Poll p -> {
        SysResult<List<PollFd>> r = sockets.poll(
            p.fds().stream().map(x -> PollFd.of(x.fd(), x.events())).toList(), p.timeoutMillis());
        yield r.succeeded()
            ? SysResult.ok(r.value(), ints(r.out().orElseThrow().stream().map(PollFd::revents).toList()))
            : result(r);
      }
      case SocketCall.EpollCreate e -> result(sockets.epollCreate(e.size()));
      case SocketCall.EpollCtl e -> result(sockets.epollCtl(e.epfd(), e.op(), e.fd(), e.events(), e.data()));
      case SocketCall.EpollWait e -> {
        SysResult<EpollEvent> r = sockets.epollWait(e.epfd(), e.maxEvents(), e.timeoutMillis());
        yield r.succeeded()
            ? SysResult.ok(r.value(), new CallOutput.EpollEvent(r.out().orElseThrow().events(), r.out().orElseThrow().data()))
            : result(r);
      }
      case SocketCall.Open o -> result(sockets.open(o.path(), o.flags()));
      case SocketCall.Pipe p -> {
        SysResult<List<Integer>> r = sockets.pipe();
        yield r.succeeded() ? SysResult.ok(r.value(), ints(r.out().orElseThrow())) : result(r);
      }
      case SocketCall.SendFile f -> result(sockets.sendfile(f.outFd(), f.inFd(), f.offset(), f.count()));
      case SocketCall.Splice sp -> result(sockets.splice(sp.inFd(), sp.inOffset(), sp.outFd(), sp.outOffset(),
          sp.length(), sp.flags()));
    };
  }

  /**
   * The kernel's form of a script's socket address: a sockaddr_in for AF_INET, a sockaddr_in6 for
   * AF_INET6 (an IPv4 address in its mapped form, as under ipv4-mapped-ipv6); empty for a bare
   * family, which the calls pass as a zeroed sockaddr_storage.
   */
  static Optional<SockAddr> live(SocketCall.SockAddr a) {
    if (a.family() == Symbol.AF_INET.value()) return Optional.of(new SockAddrIn(a.addr().ipv4(), a.port()));
    if (a.family() == Symbol.AF_INET6.value()) return Optional.of(new SockAddrIn6(a.addr(), a.port()));
    return Optional.empty();
  }

  /** The bytes a setsockopt passes: an int, a struct linger or timeval in host order, a string's bytes. */
  private static byte[] optionBytes(SocketCall.OptValue v) {
    return switch (v) {
      case SocketCall.OptValue.IntValue i ->
          ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(i.value()).array();
      case SocketCall.OptValue.Linger l ->
          ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(l.onoff()).putInt(l.seconds()).array();
      case SocketCall.OptValue.Timeval t ->
          ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(t.seconds()).putLong(t.micros()).array();
      case SocketCall.OptValue.Text t -> t.bytes();
    };
  }

  private static CallOutput ints(List<Integer> values) {
    return new CallOutput.Ints(values.stream().map(Integer::longValue).toList());
  }

  /** The value and errno of a kernel call; what it wrote through pointers is not compared. */
  private static SysResult<CallOutput> result(SysResult<?> r) {
    return r.succeeded() ? SysResult.ok(r.value()) : SysResult.error(r.errno());
  }

  @Override
  public ShellResult shell(String commandLine, Path directory) throws IOException, InterruptedException {
    if (shell.isEmpty()) {
      PhaseProfile.Phase start = PhaseProfile.begin("shell start");
      shell = Optional.of(NamespaceShell.start(netns));
      start.end();
    }
    NamespaceShell.Result r = shell.get().run(commandLine, directory);
    return new ShellResult(r.exitStatus(), r.output());
  }

  @Override
  public Optional<TcpInfo> tcpInfo(int liveFd) {
    return sockets.tcpInfo(liveFd).out();
  }

  @Override
  public Optional<long[]> skMeminfo(int liveFd) {
    return sockets.skMeminfo(liveFd).out();
  }

  private void joinDrainer() {
    try {
      drainer.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    // Torn down at the normal policy, as set up (see open); the thread gets its policy back after.
    if (realTime) ThreadPriority.normal();
    try {
      tearDown();
    } finally {
      if (realTime) ThreadPriority.realTime();
    }
  }

  private void tearDown() {
    PhaseProfile.Phase all = PhaseProfile.begin("cell teardown");
    closing = true;
    if (Thread.currentThread() == owner) inNamespace.close();
    PhaseProfile.Phase shellEnd = PhaseProfile.begin("teardown: shell");
    shell.ifPresent(NamespaceShell::close);
    shellEnd.end();
    calls.shutdownNow();
    watchdog.interrupt();
    try {
      sockets.close();
    } finally {
      try {
        PhaseProfile.Phase devices = PhaseProfile.begin("teardown: tap, tun");
        tap.close();
        // Closing the device wakes the drainer from its wait at once; joined before that, it
        // would finish its 50 ms wait first, at every cell's end.
        tun.close();
        joinDrainer();
        devices.end();
      } finally {
        PhaseProfile.Phase delete = PhaseProfile.begin("teardown: netns delete");
        netns.close();
        delete.end();
        all.end();
      }
    }
  }
}
