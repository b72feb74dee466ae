package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.tcpspec.conformance.linux.KernelSockets;
import org.tcpspec.conformance.linux.Linger;
import org.tcpspec.conformance.linux.PollFd;
import org.tcpspec.conformance.linux.SyscallOut;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.conformance.run.SysResult;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.SystemUnderTest;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.SockAddrIn;
import org.tcpspec.device.linux.SyscallResult;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.device.linux.TunDevice;
import org.tcpspec.wire.ParseResult;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentParser;

/**
 * The Linux kernel as a system under test: a namespace made for one script (kernel side
 * 192.168.0.1 on tun0, the script's side 192.0.2.1 reached through it), packets written to and
 * read from the TUN device, socket calls on kernel sockets through FFM, real time. A sniffer
 * thread reads the TUN device continuously and stamps each packet when it arrives, so the kernel
 * is never held up by a full device queue and times are those of transmission. {@link #close()}
 * removes the namespace, also when the run failed.
 */
public final class LinuxSut implements SystemUnderTest {

  private static final int TCP_CONGESTION = 13;
  private static final int EINVAL = 22;

  private final Netns netns;
  private final TunDevice tun;
  private final KernelSockets sockets;
  private final long startNanos;
  private final BlockingQueue<Sniffed> sniffed = new LinkedBlockingQueue<>();
  private final Thread sniffer;
  private final ExecutorService calls;
  private volatile boolean closing;

  private LinuxSut(Netns netns, TunDevice tun) {
    this.netns = netns;
    this.tun = tun;
    this.sockets = new KernelSockets(netns);
    // The first socket call links the FFM downcalls; do it before the clock starts.
    var warm = sockets.socket(KernelSockets.AF_INET, KernelSockets.SOCK_STREAM, 0);
    if (warm.succeeded()) sockets.close(warm.intValue());
    this.calls = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, netns.name() + "-call");
      t.setDaemon(true);
      return t;
    });
    this.startNanos = System.nanoTime();
    this.sniffer = new Thread(this::sniffLoop, netns.name() + "-sniffer");
    sniffer.setDaemon(true);
    sniffer.start();
  }

  /**
   * Runs the packet path once before the clock starts, so that class loading and the first JIT
   * of the parser and emitter do not count against the first packet's timing.
   */
  private static void warmUp() {
    Segment s = new Segment(REMOTE_ADDR, LOCAL_ADDR, 1, 2, 3, 4, 0x10, 5, 0,
        List.of(new org.tcpspec.wire.TcpOption.Mss(1000)), new byte[1]);
    for (int i = 0; i < 2000; i++) {
      byte[] b = SegmentEmitter.emit(s);
      SegmentParser.parse(b, 0, b.length);
    }
  }

  /** Makes the namespace and the TUN device; undoes both when either fails. */
  public static LinuxSut open(int mtu) throws IOException {
    warmUp();
    Netns ns = Netns.create("sut");
    try {
      return new LinuxSut(ns, TunDevice.open(ns, TunConfig.packetdrill().withMtu(mtu)));
    } catch (IOException | RuntimeException e) {
      ns.close();
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
          return Optional.of("needs root for network namespaces and TUN devices");
        }
        if (!new java.io.File("/dev/net/tun").exists()) return Optional.of("no /dev/net/tun");
        return Optional.empty();
      }

      @Override
      public boolean parallel() {
        return true;
      }

      @Override
      public SystemUnderTest open(String scriptName) throws IOException {
        return LinuxSut.open(1500);
      }
    };
  }

  private void sniffLoop() {
    while (!closing) {
      try {
        Optional<byte[]> p = tun.readPacket(50_000_000L);
        if (p.isEmpty()) continue;
        long at = nowMicros();
        byte[] bytes = p.get();
        switch (SegmentParser.parse(bytes, 0, bytes.length)) {
          case ParseResult.Parsed parsed -> {
            if (parsed.segment().srcAddr() == LOCAL_ADDR) sniffed.add(new Sniffed(at, parsed.segment()));
          }
          case ParseResult.Malformed m -> { /* not TCP/IPv4 from the kernel side: not ours to check */ }
        }
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
    return (System.nanoTime() - startNanos) / 1000;
  }

  @Override
  public void sleepUntil(long micros) throws InterruptedException {
    while (true) {
      long left = micros - nowMicros();
      if (left <= 0) return;
      LockSupport.parkNanos(left * 1000);
      if (Thread.interrupted()) throw new InterruptedException();
    }
  }

  @Override
  public void inject(Segment segment) throws IOException {
    byte[] bytes = SegmentEmitter.emit(segment);
    tun.write(bytes, 0, bytes.length);
  }

  @Override
  public Optional<Sniffed> sniff(long deadlineMicros) throws InterruptedException {
    long left = Math.max(0, deadlineMicros - nowMicros());
    return Optional.ofNullable(sniffed.poll(left, TimeUnit.MICROSECONDS));
  }

  @Override
  public Pending start(SocketCall call) {
    CompletableFuture<SysResult> f = CompletableFuture.supplyAsync(() -> perform(call), calls);
    return deadlineMicros -> {
      long left = Math.max(0, deadlineMicros - nowMicros());
      try {
        return Optional.of(f.get(left, TimeUnit.MICROSECONDS));
      } catch (TimeoutException e) {
        return Optional.empty();
      } catch (ExecutionException e) {
        throw new IllegalStateException("socket call " + call + " failed", e.getCause());
      }
    };
  }

  private SysResult perform(SocketCall call) {
    return switch (call) {
      case SocketCall.Socket s -> result(sockets.socket(s.domain(), s.type(), s.protocol()));
      case SocketCall.Bind b -> result(sockets.bind(b.fd(), new SockAddrIn(b.addr(), b.port())));
      case SocketCall.Listen l -> result(sockets.listen(l.fd(), l.backlog()));
      case SocketCall.Accept a -> result(sockets.accept(a.fd()).result());
      case SocketCall.Connect c -> result(sockets.connect(c.fd(), new SockAddrIn(c.addr(), c.port())));
      case SocketCall.Write w -> result(w.flags() == 0 ? sockets.write(w.fd(), w.data())
          : sockets.send(w.fd(), w.data(), w.flags()));
      case SocketCall.Read r -> result((r.flags() == 0 ? sockets.read(r.fd(), r.count())
          : sockets.recv(r.fd(), r.count(), r.flags())).result());
      case SocketCall.Close c -> result(sockets.close(c.fd()));
      case SocketCall.Shutdown s -> result(sockets.shutdown(s.fd(), s.how()));
      case SocketCall.SetSockOpt s -> switch (s.value()) {
        case SocketCall.OptValue.IntValue v -> result(sockets.setsockopt(s.fd(), s.level(), s.name(), v.value()));
        case SocketCall.OptValue.Linger l ->
            result(sockets.setLinger(s.fd(), new Linger(l.onoff() != 0, l.seconds())));
        case SocketCall.OptValue.Text t -> s.name() == TCP_CONGESTION
            ? result(sockets.setCongestion(s.fd(), t.value()))
            : SysResult.error(EINVAL, nowMicros());
      };
      case SocketCall.GetSockOpt g -> {
        SyscallOut<Integer> out = sockets.getsockopt(g.fd(), g.level(), g.name());
        yield out.succeeded()
            ? new SysResult(out.result().value(), 0, List.of((long) out.value()), nowMicros())
            : result(out.result());
      }
      case SocketCall.Fcntl f -> result(sockets.fcntl(f.fd(), f.cmd(), (int) f.arg()));
      case SocketCall.Poll p -> {
        SyscallOut<List<PollFd>> out = sockets.poll(
            p.fds().stream().map(x -> PollFd.of(x.fd(), x.events())).toList(), p.timeoutMillis());
        yield out.succeeded()
            ? new SysResult(out.result().value(), 0,
                out.value().stream().map(x -> (long) x.revents()).toList(), nowMicros())
            : result(out.result());
      }
    };
  }

  private SysResult result(SyscallResult r) {
    return new SysResult(r.value(), r.errno(), List.of(), nowMicros());
  }

  @Override
  public ShellResult shell(String commandLine) throws IOException {
    Netns.ExecResult r = netns.exec(List.of("sh", "-c", commandLine));
    return new ShellResult(r.exitCode(), r.output());
  }

  @Override
  public Optional<Map<String, Long>> tcpInfo(int liveFd) {
    var info = sockets.tcpInfo(liveFd);
    return info.succeeded() ? Optional.of(info.value().fields()) : Optional.empty();
  }

  @Override
  public void close() {
    closing = true;
    calls.shutdownNow();
    sniffer.interrupt();
    try {
      sniffer.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      sockets.close();
    } finally {
      try {
        tun.close();
      } finally {
        netns.close();
      }
    }
  }
}
