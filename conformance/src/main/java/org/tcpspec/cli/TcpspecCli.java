package org.tcpspec.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.tcpspec.conformance.profile.PhaseProfile;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.sut.LinuxSut;
import org.tcpspec.conformance.sut.Suts;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tcpspec} command line: one picocli subcommand per job. Usage errors (an unknown
 * subcommand, a bad flag or value) print picocli's message naming the offending argument and exit
 * with {@link #EXIT_USAGE}; a subcommand's own failures exit 1.
 */
@Command(
    name = "tcpspec",
    mixinStandardHelpOptions = true,
    versionProvider = TcpspecCli.Version.class,
    description = "A formally specified TCP: TLA+ model, Java stack, packetdrill conformance.",
    footer = {
      "",
      "Exit codes: 0 success; 1 the job ran and did not pass (run and conform: a cell failed, had an"
          + " error, was unsupported or not available unless allowed, or no script was found; check:"
          + " TLC differs from the manifest; merge: as run, over the joined results); 2 usage error (bad flag"
          + " or value, missing path).",
      "Every subcommand takes --help."
    })
public final class TcpspecCli implements Callable<Integer> {

  /** The subcommands, in the order the usage lists them. */
  static final List<Class<?>> SUBCOMMANDS = List.of(
      RunCommand.class,
      ConformCommand.class,
      CheckCommand.class,
      GenerateCommand.class,
      MergeCommand.class,
      ServeCommand.class,
      GetCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      FuzzCommand.class,
      DifferCommand.class,
      CommandLine.HelpCommand.class);

  /** Exit code for usage errors, as the ground rules and most Unix tools have it. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** How {@code --sut} names become systems under test; tests put unavailable ones here. */
  private final Function<String, Optional<SutFactory>> suts;

  private TcpspecCli(Function<String, Optional<SutFactory>> suts) {
    this.suts = suts;
  }

  Optional<SutFactory> sut(String name) {
    return suts.apply(name);
  }

  @Override
  public Integer call() {
    // `tcpspec` with no subcommand is a usage error: say what exists.
    PrintWriter err = spec.commandLine().getErr();
    err.println("tcpspec: missing subcommand");
    spec.commandLine().usage(err);
    return EXIT_USAGE;
  }

  /** Builds the command line with the exit codes and streams used everywhere, tests included. */
  public static CommandLine commandLine() {
    return commandLine(Suts::byName);
  }

  /** As {@link #commandLine()}, with {@code --sut} names looked up in {@code suts}. */
  static CommandLine commandLine(Function<String, Optional<SutFactory>> suts) {
    return commandLine(suts, SUBCOMMANDS);
  }

  /**
   * The command line for {@code args}: with only the subcommand they name when they name one
   * (other than {@code help}), else with all. picocli builds a subcommand's model by reflection
   * over its options when it is added; building the eleven others too cost every {@code tcpspec
   * run} about a tenth of a second, paid once per folder when a corpus is run folder by folder.
   * Usage, errors and help of the named subcommand are the same either way.
   */
  static CommandLine commandLine(Function<String, Optional<SutFactory>> suts, String... args) {
    return commandLine(suts, subcommandsFor(args));
  }

  /** The subcommands {@link #commandLine(Function, String...)} builds for {@code args}. */
  static List<Class<?>> subcommandsFor(String... args) {
    if (args.length == 0) return SUBCOMMANDS;
    return SUBCOMMANDS.stream()
        .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(args[0]))
        .findFirst()
        .<List<Class<?>>>map(List::of)
        .orElse(SUBCOMMANDS);
  }

  private static CommandLine commandLine(Function<String, Optional<SutFactory>> suts, List<Class<?>> subcommands) {
    CommandLine cli = new CommandLine(new TcpspecCli(suts));
    for (Class<?> c : subcommands) cli.addSubcommand(c);
    // picocli already exits with ExitCode.USAGE (2) on invalid input; the test pins that. The
    // setting reaches the subcommands added so far, so it comes after them.
    return cli.setCaseInsensitiveEnumValuesAllowed(true);
  }

  public static void main(String[] args) {
    PhaseProfile.sinceOrigin("start to main").end();
    Optional<Thread> warmUp = playsLinuxCells(args) && LinuxSut.factory().unavailable().isEmpty()
        ? Optional.of(LinuxSut.warmUpInBackground()) : Optional.empty();
    if (warmUp.isPresent()) {
      PhaseProfile.Phase link = PhaseProfile.begin("FFM linking");
      NativeLinking.linkHere();
      link.end();
    }
    PhaseProfile.Phase model = PhaseProfile.begin("picocli model");
    CommandLine cli = commandLine(Suts::byName, args);
    model.end();
    PhaseProfile.Phase parse = PhaseProfile.begin("picocli parse");
    // The subcommand runs once the warm-up is over: until then only picocli's and the options'
    // classes may be initialised here (see LinuxSut.warmUpInBackground).
    warmUp.ifPresent(w -> cli.setExecutionStrategy(parsed -> {
      parse.end();
      PhaseProfile.Phase wait = PhaseProfile.begin("wait for warm-up");
      LinuxSut.awaitWarmUp(w);
      wait.end();
      return new CommandLine.RunLast().execute(parsed);
    }));
    int exitCode = cli.execute(args);
    // A usage error returns before the strategy: the warm-up's namespace is deleted before the exit.
    warmUp.ifPresent(LinuxSut::awaitWarmUp);
    System.exit(exitCode);
  }

  /**
   * Whether {@code args} run or conform with linux among the systems under test, as a first look
   * before picocli parses them: {@code --sut} absent (both by default) or naming linux.
   */
  static boolean playsLinuxCells(String... args) {
    if (args.length == 0 || !PLAYS_CELLS.contains(args[0])) return false;
    boolean named = false;
    boolean linux = false;
    for (int i = 1; i < args.length; i++) {
      String value = args[i].startsWith("--sut=") ? args[i].substring("--sut=".length())
          : args[i].equals("--sut") && i + 1 < args.length ? args[i + 1] : null;
      if (value == null) continue;
      named = true;
      linux |= List.of(value.split(",")).stream().anyMatch(v -> v.strip().equals("linux"));
    }
    return !named || linux;
  }

  /** The subcommands that play linux cells. */
  private static final Set<String> PLAYS_CELLS = Set.of("run", "conform");

  /** Reports the version from the jar manifest when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TcpspecCli.class.getPackage().getImplementationVersion();
      return new String[] {"tcpspec " + (v == null ? "(development build)" : v)};
    }
  }
}
