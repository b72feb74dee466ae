package org.tcpspec.cli;

import java.util.concurrent.Callable;
import org.tcpspec.app.KernelDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec demo}: one command a newcomer runs to see the apps work (issue #5). It makes a
 * namespace, serves echo, discard and http in it, runs kernel clients against them, prints one
 * line per check and removes the namespace, also on failure and Ctrl-C.
 */
@Command(
    name = "demo",
    description = "Make a throwaway network namespace, serve echo, discard and http in it, run"
        + " kernel clients (curl, sockets) against them, print what happened, clean up. Needs root.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    try {
      return new KernelDemo(out).run() == 0 ? 0 : 1;
    } catch (Exception e) {
      var err = spec.commandLine().getErr();
      err.println("tcpspec demo: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      err.flush();
      return 1;
    }
  }
}
