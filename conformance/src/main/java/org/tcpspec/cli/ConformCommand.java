package org.tcpspec.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The main job: check the model, run the suite on both systems under test, write the reports.
 * Until the conformance runner exists (issue #6) it says so instead of pretending.
 */
@Command(
    name = "conform",
    description = "Run the TLC check and the packetdrill suite on linux and java; write reports/.")
final class ConformCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .println(
            "tcpspec conform: not there yet. The conformance runner (issue #6) has not landed;"
                + " nothing was run and no report was written.");
    return 1;
  }
}
