package org.tcpspec.conformance.run;

import java.io.PrintWriter;
import java.util.List;

/** The console form of results: one line per script and system, then the total line. */
public final class Console {
  private Console() {}

  public static void line(PrintWriter out, RunResult r) {
    String word = Verdict.word(r.verdict());
    out.printf("%-11s %-5s %s (%.2f s)%n", word, r.sut(), r.script(), r.wallMillis() / 1000.0);
    String detail = Verdict.detail(r.verdict());
    if (!detail.isEmpty()) {
      detail.lines().forEach(l -> out.println("      " + l));
    }
    out.flush();
  }

  /** {@code N passed, M failed}, then the other cells when there are any. */
  public static String total(List<RunResult> results) {
    long passed = results.stream().filter(RunResult::passed).count();
    long failed = results.stream().filter(RunResult::failed).count();
    long unsupported = results.stream().filter(r -> r.verdict() instanceof Verdict.Unsupported).count();
    long na = results.stream().filter(r -> r.verdict() instanceof Verdict.NotAvailable).count();
    StringBuilder b = new StringBuilder(passed + " passed, " + failed + " failed");
    if (unsupported > 0) b.append(", ").append(unsupported).append(" unsupported");
    if (na > 0) b.append(", ").append(na).append(" not available");
    return b.toString();
  }
}
