package org.tcpspec.cli;

import java.util.concurrent.Callable;
import org.tcpspec.app.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec demo}: one command a newcomer runs to see our stack work (issue #5). It makes a
 * namespace, runs the stack on a TUN device there serving echo, discard and http, runs kernel
 * clients against them and the stack as a client against a kernel server, prints one line per
 * check and removes the namespace, also on failure and Ctrl-C. Exit 0 when every check passed.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "demo",
    description = "Make a throwaway network namespace, run our stack on a TUN device in it serving echo,"
        + " discard and http, run kernel clients (curl, sockets) against them and our stack as client"
        + " against a kernel server, print what happened, clean up. Needs root.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    try {
      return new Demo(out).run() == 0 ? 0 : 1;
    } catch (Exception e) {
      var err = spec.commandLine().getErr();
      err.println("tcpspec demo: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      err.flush();
      return 1;
    }
  }
}
