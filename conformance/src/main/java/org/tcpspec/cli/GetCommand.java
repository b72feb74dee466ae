package org.tcpspec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tcpspec.app.HttpUrl;
import org.tcpspec.app.StackStatus;
import org.tcpspec.device.linux.Ipv4Cidr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec get}: our stack as an HTTP/1.1 client (active open over TUN) fetching a URL from
 * a kernel server in the namespace (issue #5). Options are checked now; the fetch needs the
 * stack's event loop.
 */
@Command(
    name = "get",
    description = "Fetch URL over HTTP/1.1 with our TCP stack (active open) on a TUN device in"
        + " network namespace NAME; the body goes to stdout or FILE. Needs root.")
final class GetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  String netns;
  HttpUrl url;
  Path output;

  @Option(names = "--netns", required = true, paramLabel = "NAME",
      description = "Network namespace where the server runs.")
  void netns(String value) {
    netns = ServeCommand.checkNetns(spec, value);
  }

  @Parameters(index = "0", paramLabel = "URL",
      description = "http://A.B.C.D[:PORT]/path (an IPv4 literal: our stack has no resolver).")
  void url(String value) {
    switch (HttpUrl.parse(value)) {
      case HttpUrl.Parsed.Invalid(String reason) -> ServeCommand.fail(spec, "URL: " + reason);
      case HttpUrl.Parsed.Ok(HttpUrl u) -> {
        try {
          Ipv4Cidr.parseAddress(u.host());
        } catch (IllegalArgumentException e) {
          ServeCommand.fail(spec, "URL: host must be an IPv4 address, got '" + u.host() + "'");
        }
        url = u;
      }
    }
  }

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body to FILE.")
  void output(Path value) {
    output = ServeCommand.checkWritable(spec, "-o", value);
  }

  @Override
  public Integer call() {
    var err = spec.commandLine().getErr();
    err.println("tcpspec get: " + StackStatus.NOT_LANDED);
    err.flush();
    return 1;
  }
}
