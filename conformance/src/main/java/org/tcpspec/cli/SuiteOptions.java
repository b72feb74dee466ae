package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.tcpspec.conformance.conform.Project;
import org.tcpspec.conformance.conform.Shard;
import org.tcpspec.conformance.run.Interpreter;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.sut.Suts;
import picocli.CommandLine.Option;

/**
 * The options {@code run} and {@code conform} share on what to run: which systems under test, how
 * parallel, which shard, timing tolerance, and the project root that adds known divergences and
 * Linux baselines.
 */
final class SuiteOptions {

  @Option(
      names = "--sut",
      split = ",",
      paramLabel = "SUT",
      description = "Systems under test, comma-separated: linux, java (default: both).")
  List<String> suts = new ArrayList<>(Suts.NAMES);

  @Option(names = {"-j", "--jobs"}, paramLabel = "N",
      description = "Cells played at once. Default: one at a time on linux (its cells are timed in real time;"
          + " two at once made late SYNs fail half the runs of the suite on a 2-core VM), except that a"
          + " cell's sleep of a second or more is lent to the next cells that fit in it; one per core on java.")
  int jobs;

  @Option(names = "--default-tolerance-usecs", paramLabel = "USECS",
      description = "Timing tolerance of scripts that set no --tolerance_usecs (default: ${DEFAULT-VALUE}, packetdrill's).")
  long defaultToleranceUsecs = Interpreter.DEFAULT_TOLERANCE_MICROS;

  @Option(names = "--shard", paramLabel = "i/n", converter = ShardConverter.class,
      description = "Run only part i of n of the scripts (stable: by a hash of each script's name relative to"
          + " the suite), e.g. one CI job per part; tcpspec merge joins the parts' reports.")
  Shard shard = Shard.ALL;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Project root: its reports/known-divergences gives the reviewed cells of scripts"
          + " under its packetdrill-scripts/"
          + " (default: $TCPSPEC_HOME, which the launcher sets, or the current folder). Parts it"
          + " lacks are left out of the report with a note.")
  Path root;

  /**
   * The factories named by {@code --sut}, or empty after printing a usage error naming the
   * unknown one (the caller exits with {@link TcpspecCli#EXIT_USAGE}).
   */
  Optional<List<SutFactory>> factories(String command, PrintWriter err,
      Function<String, Optional<SutFactory>> lookup) {
    List<SutFactory> factories = new ArrayList<>();
    for (String name : suts) {
      var f = lookup.apply(name.strip());
      if (f.isEmpty()) {
        err.println("tcpspec " + command + ": unknown system under test '" + name
            + "' (expected one of " + String.join(", ", Suts.NAMES) + ")");
        return Optional.empty();
      }
      factories.add(f.get());
    }
    return Optional.of(factories);
  }

  /** Reads {@code i/n}; a bad value is a usage error naming it. */
  static final class ShardConverter implements picocli.CommandLine.ITypeConverter<Shard> {
    @Override
    public Shard convert(String value) {
      try {
        return Shard.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  Path root() {
    return root != null ? root
        : Path.of(System.getenv().getOrDefault("TCPSPEC_HOME", System.getProperty("user.dir")));
  }

  /**
   * What the project root has, with the reviewed cells of scripts outside its suite when a file
   * of them is given, or empty after printing why it cannot be read (a malformed known-divergences
   * file names its line, a missing one its path; the caller exits with {@link TcpspecCli#EXIT_USAGE}).
   */
  Optional<Project> project(String command, PrintWriter err, Optional<Path> outsideDivergences)
      throws IOException {
    try {
      return Optional.of(Project.at(root(), outsideDivergences));
    } catch (java.nio.file.NoSuchFileException e) {
      err.println("tcpspec " + command + ": --known-divergences: no such file: " + e.getMessage());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      err.println("tcpspec " + command + ": " + e.getMessage());
      return Optional.empty();
    }
  }
}
