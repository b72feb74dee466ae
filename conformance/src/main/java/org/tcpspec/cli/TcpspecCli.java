package org.tcpspec.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
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
    subcommands = {
      RunCommand.class,
      ConformCommand.class,
      CheckCommand.class,
      ServeCommand.class,
      GetCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      FuzzCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TcpspecCli implements Callable<Integer> {

  /** Exit code for usage errors, as the ground rules and most Unix tools have it. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
    // picocli already exits with ExitCode.USAGE (2) on invalid input; the test pins that.
    return new CommandLine(new TcpspecCli()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Reports the version from the jar manifest when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TcpspecCli.class.getPackage().getImplementationVersion();
      return new String[] {"tcpspec " + (v == null ? "(development build)" : v)};
    }
  }
}
