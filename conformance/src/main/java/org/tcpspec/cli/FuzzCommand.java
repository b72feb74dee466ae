package org.tcpspec.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.tcpspec.fuzz.Finding;
import org.tcpspec.fuzz.FuzzReport;
import org.tcpspec.fuzz.SegmentFuzzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec fuzz}: feeds our stack malformed and adversarial segments for as long as asked,
 * in process on a manual clock ({@link SegmentFuzzer}: an honest echo connection and a listener
 * under attack, invariants checked after every segment). Prints progress every ten seconds, then
 * the totals, segments/s and every finding; exits 1 when there is one. No packet leaves the JVM.
 */
@Command(
    name = "fuzz",
    mixinStandardHelpOptions = true,
    description = "Feed our stack malformed and adversarial segments for N seconds (in process, virtual"
        + " time) and check its invariants after every one; print segments/s and findings.")
final class FuzzCommand implements Callable<Integer> {
  private static final long PROGRESS_NANOS = 10_000_000_000L;

  @Spec CommandSpec spec;

  long seconds;
  Long seed;

  @Option(names = "--seconds", required = true, paramLabel = "N", description = "How long to run (N >= 1).")
  void seconds(long value) {
    if (value < 1) throw new ParameterException(spec.commandLine(), "--seconds: must be at least 1, got " + value);
    seconds = value;
  }

  @Option(names = "--seed", paramLabel = "S",
      description = "Seed of the run (default: from the clock); the same seed replays the same segments.")
  void seed(long value) {
    seed = value;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    long s = seed != null ? seed : System.nanoTime();
    out.printf("tcpspec fuzz: seed %d, %d s%n", s, seconds);
    out.flush();
    SegmentFuzzer fuzzer = new SegmentFuzzer(s);
    long start = System.nanoTime();
    long budget = seconds * 1_000_000_000L;
    FuzzReport r;
    do {
      long left = budget - (System.nanoTime() - start);
      r = fuzzer.run(Long.MAX_VALUE, Math.min(PROGRESS_NANOS, left));
      double elapsed = (System.nanoTime() - start) / 1e9;
      out.printf("  %.0f s: %,d segments, %,d findings%n", elapsed, r.segments(), r.findings().size());
      out.flush();
    } while (System.nanoTime() - start < budget && r.findings().size() < 20);
    double elapsed = (System.nanoTime() - start) / 1e9;
    out.printf("segments: %,d in %.1f s, %,.0f segments/s%n", r.segments(), elapsed, r.segments() / elapsed);
    out.printf("  malformed (dropped by the parser) %,d, to the honest connection %,d, to the listener %,d%n",
        r.malformed(), r.toConnection(), r.toListener());
    out.printf("  forged handshakes completed %,d, honest connections %,d, honest bytes delivered and checked %,d%n",
        r.handshakesCompleted(), r.connections(), r.bytesDelivered());
    out.printf("findings: %d%n", r.findings().size());
    for (Finding f : r.findings()) out.println(f);
    if (!r.findings().isEmpty()) out.printf("replay: tcpspec fuzz --seed %d --seconds N%n", s);
    out.flush();
    return r.findings().isEmpty() ? 0 : 1;
  }
}
