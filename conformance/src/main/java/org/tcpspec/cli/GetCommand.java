package org.tcpspec.cli;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tcpspec.app.HttpClient;
import org.tcpspec.app.HttpResponse;
import org.tcpspec.app.HttpUrl;
import org.tcpspec.app.NamedNamespace;
import org.tcpspec.app.NetParams;
import org.tcpspec.app.StackStreams;
import org.tcpspec.app.StreamConnection;
import org.tcpspec.device.linux.Ipv4Cidr;
import org.tcpspec.runtime.TunStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec get}: our stack as an HTTP/1.1 client (active open over TUN) fetching a URL from
 * a kernel server in the namespace (issue #5). The body goes to stdout or a file; one line on
 * stderr says what came back. Exit 0 for a 2xx status, 1 otherwise.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "get",
    description = "Fetch URL over HTTP/1.1 with our TCP stack (active open) on a TUN device in"
        + " network namespace NAME (which must exist); the stack is 192.0.2.2, the namespace's"
        + " kernel 192.168.0.1. The body goes to stdout or FILE. Needs root.")
final class GetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  String netns;
  HttpUrl url;
  Path output;
  int mtu = 1500;

  @Option(names = "--netns", required = true, paramLabel = "NAME",
      description = "Network namespace where the server runs.")
  void netns(String value) {
    netns = ServeCommand.checkNetns(spec, value);
  }

  @Parameters(index = "0", paramLabel = "URL",
      description = "http://A.B.C.D[:PORT]/path or http://[IPV6][:PORT]/path (a literal: our stack has no"
          + " resolver).")
  void url(String value) {
    switch (HttpUrl.parse(value)) {
      case HttpUrl.Parsed.Invalid(String reason) -> ServeCommand.fail(spec, "URL: " + reason);
      case HttpUrl.Parsed.Ok(HttpUrl u) -> {
        try {
          if (u.ipv6()) Inet6Address.ofLiteral(u.host().substring(1, u.host().length() - 1));
          else Ipv4Cidr.parseAddress(u.host());
        } catch (IllegalArgumentException e) {
          ServeCommand.fail(spec, "URL: host must be an IPv4 address or an IPv6 one in brackets, got '" + u.host()
              + "'");
        }
        url = u;
      }
    }
  }

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body to FILE.")
  void output(Path value) {
    output = ServeCommand.checkWritable(spec, "-o", value);
  }

  @Option(names = "--mtu", paramLabel = "M", description = "TUN MTU (576..65000, default 1500).")
  void mtu(int value) {
    NetParams.checkMtu(value).ifPresent(p -> ServeCommand.fail(spec, "--mtu: " + p));
    mtu = value;
  }

  /** Our interface in the namespace; not serve's, so both can run there at once. */
  static final String IFNAME = "tcpspec1";

  @Override
  public Integer call() {
    var err = spec.commandLine().getErr();
    if (!NamedNamespace.exists(netns)) {
      err.println("tcpspec get: no network namespace '" + netns + "': create it (ip netns add "
          + netns + ") and start a server in it first");
      err.flush();
      return 1;
    }
    try (NamedNamespace ns = NamedNamespace.attach(netns);
        TunStack stack = TunStack.startIn(ns.name(), IFNAME, mtu, url.ipv6(), Optional.empty(), err::println);
        StreamConnection c = StackStreams.connect(stack.sockets(), InetAddress.ofLiteral(url.ipv6()
            ? url.host().substring(1, url.host().length() - 1) : url.host()), url.port());
        OutputStream body = output == null
            ? new FilterOutputStream(System.out) {
                @Override
                public void close() throws IOException {
                  flush(); // stdout stays open
                }
              }
            : new BufferedOutputStream(Files.newOutputStream(output))) {
      HttpResponse r = new HttpClient(c).get(url, body, true);
      err.printf("tcpspec get: %s -> %d %s, %d bytes%s%n", url, r.status(), r.reason(),
          r.bodyLength(), output == null ? "" : " to " + output);
      err.flush();
      return r.status() >= 200 && r.status() < 300 ? 0 : 1;
    } catch (IOException | RuntimeException | InterruptedException e) {
      err.println("tcpspec get: " + url + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      err.flush();
      return 1;
    }
  }
}
