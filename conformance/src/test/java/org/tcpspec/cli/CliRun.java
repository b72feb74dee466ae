package org.tcpspec.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import java.util.function.Function;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.sut.Suts;
import picocli.CommandLine;

/**
 * One in-process run of the CLI with its exit code and both streams captured, for CLI tests: the
 * command line main builds for the same arguments.
 */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    return with(Suts::byName, args);
  }

  /** A run whose {@code --sut} names are looked up in {@code suts}: the seam for unavailable ones. */
  static CliRun with(Function<String, Optional<SutFactory>> suts, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TcpspecCli.commandLine(suts, args);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
