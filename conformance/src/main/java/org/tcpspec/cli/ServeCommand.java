package org.tcpspec.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tcpspec.app.App;
import org.tcpspec.app.NetParams;
import org.tcpspec.app.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec serve}: our stack on a TUN device in a namespace, serving one app on one port
 * until interrupted (issue #5). Until the stack's event loop lands the options are parsed and
 * checked, and the command says plainly that nothing can be served yet.
 */
@Command(
    name = "serve",
    description = {
      "Run our TCP stack on a TUN device in network namespace NAME and serve an app on"
          + " 192.0.2.2:PORT until interrupted; prints 'tcpspec listening on 192.0.2.2:PORT in"
          + " netns NAME' once ready. Needs root."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  String netns;
  App.Kind app = App.Kind.HTTP;
  int port = 8080;
  int mtu = 1500;
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

  @Option(names = "--pcap", paramLabel = "FILE",
      description = "Write every packet both ways to FILE (pcap, raw IPv4).")
  void pcap(Path value) {
    pcap = checkWritable(spec, "--pcap", value);
  }

  @Override
  public Integer call() {
    var err = spec.commandLine().getErr();
    err.println("tcpspec serve: " + StackStatus.NOT_LANDED);
    err.flush();
    return 1;
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
