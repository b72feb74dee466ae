package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.linux.DeadlineSleep;
import org.tcpspec.conformance.linux.JiffyEdge;
import org.tcpspec.conformance.linux.KernelSockets;
import org.tcpspec.conformance.linux.NamespaceShell;
import org.tcpspec.conformance.linux.PacketTap;
import org.tcpspec.conformance.linux.ThreadPriority;
import org.tcpspec.conformance.profile.PhaseProfile;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.SystemUnderTest;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentParser;
import org.tcpspec.wire.TcpOption;

/**
 * The Linux kernel as a system under test: a namespace made for one script (kernel side
 * 192.168.0.1 on tun0, the script's side 192.0.2.1 reached through it), packets written to and
 * read from the TUN device, socket calls on kernel sockets through FFM, real time. Its parts, one
 * concern each: {@link LinuxDevices} sets up and tears down the namespace, the TUN device (packetdrill's:
 * IFF_VNET_HDR and TSO offloads, so the tap sees the kernel's super-packets whole, as packetdrill's
 * sniffer does) and the {@link PacketTap} on it; {@link LinuxInjector} writes the script's packets,
 * each timed when its write starts, the kernel taking it in within the write; {@link LinuxSniffer}
 * reads the kernel's packets with the kernel's own transmit stamps; {@link LinuxCallThreads} makes
 * the system calls ({@link KernelCalls}) on the interpreter's thread or a call thread. Waits end on
 * time through {@link DeadlineSleep}. Under {@code --ip_version=ipv6} the device carries the local
 * IPv6 address and the packets both ways are IPv6 (ICMPv6 included); under ipv4-mapped-ipv6 the wire
 * is IPv4 and only the sockets are AF_INET6 (see {@link LinuxDevices#device} and {@link
 * KernelCalls#live}). {@link #close()} removes the namespace, also when the run failed.
 */
public final class LinuxSut implements SystemUnderTest {

  private final LinuxDevices devices;
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
  private final LinuxCallThreads callThreads;
  private final LinuxInjector injector;
  private final LinuxSniffer sniffer;
  /** The script's shell lines' parent process, started at the first line. */
  private Optional<NamespaceShell> shell = Optional.empty();

  /**
   * Starts the run's threads on {@code devices}. When a step fails, what the steps before it made
   * is released here (the call threads and their watchdog, the sockets' namespace handle, this
   * thread's place in the namespace); the devices are the caller's to close.
   */
  private LinuxSut(LinuxDevices devices, RunConfig config, boolean realTime) throws IOException {
    this.devices = devices;
    this.realTime = realTime;
    this.sockets = new KernelSockets(devices.netns);
    LinuxCallThreads calls = null;
    KernelSockets.Joined joined = null;
    try {
      // The first socket call links the FFM downcalls; do it before the clock starts.
      var warm = sockets.socket(Symbol.AF_INET.value(), Symbol.SOCK_STREAM.value(), 0);
      if (warm.succeeded()) sockets.close(warm.intValue());
      calls = new LinuxCallThreads(devices.netns.name(), realTime, sockets, this::nowMicros);
      devices.startDrainer();
      calls.startWatchdog();
      if (realTime) ThreadPriority.realTime();
      this.owner = Thread.currentThread();
      joined = sockets.joinNamespace();
      KernelSockets.prepareThread();
      this.startMicros = realtimeMicros();
      this.injector = new LinuxInjector(devices.tun, config.mss(), this::nowMicros);
      this.sniffer = new LinuxSniffer(devices.tap, config.localIp(), startMicros, this::nowMicros);
    } catch (IOException | RuntimeException e) {
      if (joined != null) joined.close();
      if (calls != null) calls.close();
      sockets.close();
      throw e;
    }
    this.callThreads = calls;
    this.inNamespace = joined;
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
   * cell (more on a loaded machine) for nothing. With the options of a handshake (a SYN's MSS,
   * SACK-permitted, window scale and timestamps; SACK blocks later), whose code is compiled only if
   * run: with the MSS option alone, emitting a SYN with the others and parsing the SYN-ACK took
   * 30 to 50 us each on the interpreter's thread, between the SYN and the third ACK.
   */
  private static synchronized void warmUpPacketPath() {
    if (packetPathWarm) return;
    packetPathWarm = true;
    Segment s = new Segment(REMOTE_ADDR, LOCAL_ADDR, 1, 2, 3, 4, 0x10, 5, 0,
        List.of(new TcpOption.Mss(1000), new TcpOption.SackPermitted(), new TcpOption.Nop(),
            new TcpOption.WindowScale(7), new TcpOption.Timestamp(5, 6),
            new TcpOption.Sack(List.of(new TcpOption.SackBlock(7, 8)))), new byte[1]);
    Segment s6 = s.withAddresses(IpAddress.parse("2001:db8::1"), IpAddress.parse("fd3d:fa7b:d17d::1"));
    for (int i = 0; i < 2000; i++) {
      for (Segment each : List.of(s, s6)) {
        byte[] b = SegmentEmitter.emit(each);
        SegmentParser.parse(b, 0, b.length);
      }
    }
  }

  /**
   * Makes the namespace and the TUN device as packetdrill's netdev.c sets its own up for {@code
   * config} ({@link LinuxDevices}), then the run's threads; when the threads fail, closes the
   * devices whole (the tap, the device, the drainer if it started, the namespace).
   */
  public static LinuxSut open(RunConfig config) throws IOException {
    // Set up at the normal policy, so that this cell's setup (the ip processes above all) does not
    // hold up another cell's threads on a CPU (see ThreadPriority); the run plays at the policy
    // the calling thread came with.
    boolean realTime = ThreadPriority.isRealTime();
    if (realTime) ThreadPriority.normal();
    try {
      warmUpPacketPath();
      LinuxDevices.removeStaleNamespaces();
      LinuxDevices devices = LinuxDevices.open(config);
      try {
        PhaseProfile.Phase threads = PhaseProfile.begin("setup: threads");
        LinuxSut sut = new LinuxSut(devices, config, realTime);
        threads.end();
        return sut;
      } catch (IOException | RuntimeException e) {
        devices.stopDraining();
        devices.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      if (realTime) ThreadPriority.realTime();
      throw e;
    }
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
        HelperPlacement.apply();
        return LinuxSut.open(config);
      }

      @Override
      public void warmUp() {
        LinuxWarmUp.run("ipv4");
      }
    };
  }

  @Override
  public String name() {
    return "linux";
  }

  /** The namespace this run lives in ("tcpspec-sut-..."), gone after {@link #close()}. */
  public String namespaceName() {
    return devices.netns.name();
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

  @Override
  public OptionalLong microsOfRealtime(long realtimeMicros) {
    return OptionalLong.of(realtimeMicros - startMicros);
  }

  /** Writes the segment into the TUN device and returns when the write started ({@link LinuxInjector}). */
  @Override
  public long inject(Segment segment, Ipv4Params ip) throws IOException {
    return injector.inject(segment, ip);
  }

  @Override
  public long injectAt(Segment segment, Ipv4Params ip, long atMicros) throws IOException, InterruptedException {
    return injector.injectAt(segment, ip, atMicros);
  }

  @Override
  public long injectIcmp(byte[] packet) throws IOException {
    return injector.injectIcmp(packet);
  }

  @Override
  public Optional<Sniffed> sniff(long deadlineMicros) throws IOException {
    return sniffer.sniff(deadlineMicros);
  }

  @Override
  public Pending start(SocketCall call) {
    return startAt(call, nowMicros());
  }

  @Override
  public Pending startAt(SocketCall call, long atMicros) {
    return callThreads.startAt(call, atMicros);
  }

  @Override
  public Optional<Returned> callAtOnce(SocketCall call, long limitMicros) {
    return callThreads.callAtOnce(call, limitMicros);
  }

  @Override
  public ShellResult shell(String commandLine, Path directory) throws IOException, InterruptedException {
    if (shell.isEmpty()) {
      PhaseProfile.Phase start = PhaseProfile.begin("shell start");
      shell = Optional.of(NamespaceShell.start(devices.netns));
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
    devices.stopDraining();
    if (Thread.currentThread() == owner) inNamespace.close();
    PhaseProfile.Phase shellEnd = PhaseProfile.begin("teardown: shell");
    shell.ifPresent(NamespaceShell::close);
    shellEnd.end();
    callThreads.close();
    try {
      sockets.close();
    } finally {
      devices.close();
      all.end();
    }
  }
}
