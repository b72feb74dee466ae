package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tcpspec.app.App;
import org.tcpspec.app.AppServer;
import org.tcpspec.app.NamedNamespace;
import org.tcpspec.app.NetParams;
import org.tcpspec.app.StackStreams;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.runtime.TunStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec serve}: our stack on a TUN device in a namespace, serving one app on one port
 * until interrupted (issue #5). The namespace is created when absent and then deleted on exit,
 * Ctrl-C included; an existing one keeps everything but our interface, which goes with the stack.
 * A name a live tcpspec holds is refused (exit 1); what a serve killed with SIGKILL left under the
 * name is removed first, in one line on stderr (issue 13, {@code NamedNamespace.hold}).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "serve",
    description = {
      "Run our TCP stack on a TUN device in network namespace NAME and serve an app on"
          + " 192.0.2.2:PORT (with --ipv6 also on [2001:db8::2]:PORT) until interrupted; prints"
          + " 'tcpspec listening on 192.0.2.2:PORT in netns NAME' (and the IPv6 line) once ready."
          + " Needs root."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  String netns;
  App.Kind app = App.Kind.HTTP;
  int port = 8080;
  int mtu = 1500;
  boolean ipv6;
  Path pcap;

  @Option(names = "--netns", required = true, paramLabel = "NAME",
      description = "Network namespace to run in (created when absent).")
  void netns(String value) {
    netns = checkNetns(spec, value);
  }

  @Option(names = "--app", paramLabel = "APP",
      description = "Application: ${COMPLETION-CANDIDATES} (default: http).")
  void app(App.Kind value) {
    app = value;
  }

  @Option(names = "--port", paramLabel = "N", description = "TCP port (1..65535, default 8080).")
  void port(int value) {
    NetParams.checkPort(value).ifPresent(p -> fail(spec, "--port: " + p));
    port = value;
  }

  @Option(names = "--mtu", paramLabel = "M", description = "TUN MTU (576..65000, default 1500).")
  void mtu(int value) {
    NetParams.checkMtu(value).ifPresent(p -> fail(spec, "--mtu: " + p));
    mtu = value;
  }

  @Option(names = "--ipv6",
      description = "Serve over IPv6 too (dual stack): the kernel side 2001:db8::1/64, the stack 2001:db8::2;"
          + " needs an MTU of at least 1280.")
  void ipv6(boolean value) {
    ipv6 = value;
  }

  @Option(names = "--pcap", paramLabel = "FILE",
      description = "Write every packet both ways to FILE (pcap, raw IP: IPv4 and IPv6).")
  void pcap(Path value) {
    pcap = checkWritable(spec, "--pcap", value);
  }

  /** The interface serve adds to the namespace; get uses another so both can run in one. */
  static final String IFNAME = "tcpspec0";

  @Override
  public Integer call() {
    if (ipv6 && mtu < TunConfig.IPV6_MIN_MTU) fail(spec, "--ipv6 needs --mtu of at least 1280, not " + mtu);
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Thread self = Thread.currentThread();
    // Ctrl-C: interrupt the wait below so the cleanup runs here, then let the JVM exit.
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = Thread.ofPlatform().unstarted(() -> {
      self.interrupt();
      try {
        done.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
    try (NamedNamespace ns = NamedNamespace.hold(netns, line -> log(err, line));
        TunStack stack = TunStack.startIn(ns.name(), IFNAME, mtu, ipv6, Optional.ofNullable(pcap),
            line -> log(err, line));
        AppServer server = AppServer.start(StackStreams.listen(stack.sockets(), port, 128), app.create(), line -> log(err, line))) {
      out.printf("tcpspec listening on %s:%d in netns %s%n", TunStack.STACK_ADDRESS, port, netns);
      if (ipv6) out.printf("tcpspec listening on [%s]:%d in netns %s%n", TunStack.STACK_ADDRESS6, port, netns);
      out.flush();
      new CountDownLatch(1).await(); // until interrupted
      return 0;
    } catch (InterruptedException e) {
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("tcpspec serve: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      err.flush();
      return 1;
    } finally {
      Thread.interrupted(); // the interrupt that ended the wait is consumed
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Already running: it returns as soon as done is counted down.
      }
    }
  }

  private static void log(PrintWriter err, String line) {
    synchronized (err) {
      err.println("tcpspec serve: " + line);
      err.flush();
    }
  }

  static String checkNetns(CommandSpec spec, String value) {
    NetParams.checkNetnsName(value).ifPresent(p -> fail(spec, "--netns: " + p));
    return value;
  }

  /** A file to be written: its folder must exist and it must not be a folder itself. */
  static Path checkWritable(CommandSpec spec, String option, Path value) {
    Path parent = value.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      fail(spec, option + ": folder " + parent + " does not exist");
    }
    if (Files.isDirectory(value)) fail(spec, option + ": " + value + " is a folder");
    return value;
  }

  static void fail(CommandSpec spec, String message) {
    throw new ParameterException(spec.commandLine(), message);
  }
}
