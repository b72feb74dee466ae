package org.tcpspec.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.run.Interpreter;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.sut.Suts;
import picocli.CommandLine.Option;

/** The options {@code run} and {@code conform} share: which systems under test, how parallel, timing tolerance. */
final class SuiteOptions {

  @Option(
      names = "--sut",
      split = ",",
      paramLabel = "SUT",
      description = "Systems under test, comma-separated: linux, java (default: both).")
  List<String> suts = new ArrayList<>(Suts.NAMES);

  @Option(names = {"-j", "--jobs"}, description = "Scripts run in parallel (default: ${DEFAULT-VALUE}).")
  int jobs = Math.max(1, Runtime.getRuntime().availableProcessors());

  @Option(names = "--tolerance-usecs",
      description = "Timing tolerance of scripts that set no --tolerance_usecs (default: ${DEFAULT-VALUE}, packetdrill's).")
  long toleranceUsecs = Interpreter.DEFAULT_TOLERANCE_MICROS;

  /**
   * The factories named by {@code --sut}, or empty after printing a usage error naming the
   * unknown one (the caller exits with {@link TcpspecCli#EXIT_USAGE}).
   */
  Optional<List<SutFactory>> factories(String command, PrintWriter err) {
    List<SutFactory> factories = new ArrayList<>();
    for (String name : suts) {
      var f = Suts.byName(name.strip());
      if (f.isEmpty()) {
        err.println("tcpspec " + command + ": unknown system under test '" + name
            + "' (expected one of " + String.join(", ", Suts.NAMES) + ")");
        return Optional.empty();
      }
      factories.add(f.get());
    }
    return Optional.of(factories);
  }
}
