package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.SystemUnderTest;
import org.tcpspec.conformance.sut.Suts;

/**
 * {@code tcpspec run}: the exit code of every kind of outcome, on the java system under test and
 * the small scripts of src/test/resources/exit-codes, and the report it writes for scripts outside
 * any project. Every run names a project root without spec/ or reports/ and a report folder under
 * the test's temporary folder, so nothing depends on where the build runs.
 */
class RunCommandTest {
  static final Path FIXTURES = Path.of("src/test/resources/exit-codes");

  @TempDir Path tmp;

  /** {@code run} with this test's report folder, an empty project root, and {@code more}. */
  private String[] args(String... more) {
    return Stream.concat(Stream.of("run", "--report", tmp.resolve("report").toString(),
        "--root", tmp.resolve("no-project").toString()), Stream.of(more)).toArray(String[]::new);
  }

  private CliRun runJava(String... more) {
    return CliRun.of(args(Stream.concat(Stream.of("--sut", "java"), Stream.of(more)).toArray(String[]::new)));
  }

  private static String fixture(String name) {
    return FIXTURES.resolve(name).toString();
  }

  @Test
  void usageErrorsExitTwo() throws IOException {
    assertEquals(TcpspecCli.EXIT_USAGE, CliRun.of("run").exitCode());
    CliRun missing = runJava("no/such/dir");
    assertEquals(TcpspecCli.EXIT_USAGE, missing.exitCode());
    assertTrue(missing.err().contains("no such file or directory: no/such/dir"), missing.err());
    CliRun badSut = CliRun.of("run", "--sut", "bsd", fixture("passes.pkt"));
    assertEquals(TcpspecCli.EXIT_USAGE, badSut.exitCode());
    assertTrue(badSut.err().contains("unknown system under test 'bsd'"), badSut.err());
    CliRun badFlag = runJava("--frobnicate", fixture("passes.pkt"));
    assertEquals(TcpspecCli.EXIT_USAGE, badFlag.exitCode());
    assertTrue(badFlag.err().contains("--frobnicate"), badFlag.err());
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    CliRun reportIsAFile = CliRun.of("run", "--sut", "java", "--report", file.toString(), fixture("passes.pkt"));
    assertEquals(TcpspecCli.EXIT_USAGE, reportIsAFile.exitCode());
    assertTrue(reportIsAFile.err().contains("--report: " + file + " is not a folder"), reportIsAFile.err());
  }

  /**
   * packetdrill's own options on the command line: -D definitions, header options that the
   * command line overrides, and --variants making a cell per address family (java plays all three,
   * issue 14); bad values and unknown variants are usage errors.
   */
  @Test
  void packetdrillOptionsAndVariants() {
    CliRun variants = runJava("--variants", "ipv4,ipv6", fixture("passes.pkt"));
    assertEquals(0, variants.exitCode(), variants.out());
    assertTrue(variants.out().contains("suite: 1 script (2 variant runs) on java"), variants.out());
    assertTrue(variants.out().lines().anyMatch(l -> l.matches("pass +java +passes\\.pkt \\[ipv4] .* \\[\\d/2]")),
        variants.out());
    assertTrue(variants.out().lines().anyMatch(l -> l.matches("pass +java +passes\\.pkt \\[ipv6] .* \\[\\d/2]")),
        variants.out());
    CliRun defined = runJava("-D", "NOT_A_SYMBOL=SOCK_STREAM", "--mtu=1400", "--tolerance_usecs=5000",
        fixture("passes.pkt"));
    assertEquals(0, defined.exitCode(), defined.out());
    CliRun badMtu = runJava("--mtu=-3", fixture("passes.pkt"));
    assertEquals(TcpspecCli.EXIT_USAGE, badMtu.exitCode());
    assertTrue(badMtu.err().contains("tcpspec run: command line: bad --mtu: -3"), badMtu.err());
    CliRun badVariant = runJava("--variants", "ipv5", fixture("passes.pkt"));
    assertEquals(TcpspecCli.EXIT_USAGE, badVariant.exitCode());
    assertTrue(badVariant.err().contains("unknown variant 'ipv5'"), badVariant.err());
  }

  /**
   * --variant-set selftests: ksft_runner.sh's two families when --variants names none, a script
   * with its own --ip_version line in that family only; its runner has no ipv4-mapped-ipv6.
   */
  @Test
  void theSelftestsVariantSetRunsKsftRunnersFamilies() throws IOException {
    CliRun both = runJava("--variant-set", "selftests", fixture("passes.pkt"));
    assertEquals(0, both.exitCode(), both.out());
    assertTrue(both.out().contains("suite: 1 script (2 variant runs) on java"), both.out());
    assertTrue(both.out().lines().anyMatch(l -> l.matches("pass +java +passes\\.pkt \\[ipv6] .*")), both.out());
    Path own = tmp.resolve("own-family.pkt");
    Files.writeString(own, "--ip_version=ipv4\n" + Files.readString(FIXTURES.resolve("passes.pkt")));
    CliRun ipv4Only = runJava("--variant-set", "selftests", own.toString());
    assertEquals(0, ipv4Only.exitCode(), ipv4Only.out());
    assertTrue(ipv4Only.out().contains("suite: 1 script on java"), ipv4Only.out());
    assertTrue(ipv4Only.out().lines().anyMatch(l -> l.matches("pass +java +own-family\\.pkt \\[ipv4] .*")),
        ipv4Only.out());
    CliRun mapped = runJava("--variant-set", "selftests", "--variants", "ipv4-mapped-ipv6", fixture("passes.pkt"));
    assertEquals(TcpspecCli.EXIT_USAGE, mapped.exitCode());
    assertTrue(mapped.err().contains("unknown variant 'ipv4-mapped-ipv6' of selftests (expected ipv4, ipv6)"),
        mapped.err());
    CliRun badSet = runJava("--variant-set", "bsd", fixture("passes.pkt"));
    assertEquals(TcpspecCli.EXIT_USAGE, badSet.exitCode());
    assertTrue(badSet.err().contains("unknown variant set 'bsd' (expected gtests, selftests)"), badSet.err());
  }

  @Test
  void theModelJudgesLinuxCellsUnlessToldNot() {
    Optional<String> why = org.tcpspec.conformance.sut.LinuxSut.factory().unavailable();
    Assumptions.assumeTrue(why.isEmpty(), () -> "the linux system under test is not available: " + why.orElse(""));
    CliRun judged = CliRun.of(args("--sut", "linux", fixture("passes.pkt")));
    assertEquals(0, judged.exitCode(), judged.out());
    assertTrue(judged.out().lines().anyMatch(l -> l.startsWith("model: ")), judged.out());
    CliRun notJudged = CliRun.of(args("--sut", "linux", "--no-judge", fixture("passes.pkt")));
    assertEquals(0, notJudged.exitCode(), notJudged.out());
    assertFalse(notJudged.out().lines().anyMatch(l -> l.startsWith("model: ")), notJudged.out());
  }

  /**
   * main warms linux up on a thread of its own while picocli parses (LinuxSut.warmUpInBackground):
   * a run through main, in a child JVM, ends (a deadlock between the two threads would not) and
   * plays its cell; a usage error returns before the cell, and the warm-up's namespace is gone at
   * the exit all the same.
   */
  @Test
  void mainWarmsUpWhileItParsesAndLeavesNoNamespace() throws Exception {
    Optional<String> why = org.tcpspec.conformance.sut.LinuxSut.factory().unavailable();
    Assumptions.assumeTrue(why.isEmpty(), () -> "the linux system under test is not available: " + why.orElse(""));
    Child run = main(args("--sut", "linux", "--no-judge", fixture("passes.pkt")));
    assertEquals(0, run.exitCode(), run.out());
    assertTrue(run.out().lines().anyMatch(l -> l.matches("pass +linux +.*passes\\.pkt .*")), run.out());
    Child usage = main(args("--sut", "linux", "--no-such-flag", fixture("passes.pkt")));
    assertEquals(TcpspecCli.EXIT_USAGE, usage.exitCode(), usage.out());
    for (Child c : List.of(run, usage)) {
      String left = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes());
      assertFalse(left.contains("tcpspec-sut-" + c.pid() + "-"), left);
    }
  }

  private record Child(long pid, int exitCode, String out) {}

  /** TcpspecCli.main in a child JVM, its output merged; at most two minutes. */
  private static Child main(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), TcpspecCli.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes());
      } catch (IOException e) {
        return e.toString();
      }
    });
    try {
      assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "main did not end: " + String.join(" ", args));
    } finally {
      p.destroyForcibly();
    }
    return new Child(p.pid(), p.exitValue(), out.get());
  }

  @Test
  void aRunWhoseCellsAllPassExitsZero() {
    CliRun r = runJava(fixture("passes.pkt"));
    assertEquals(0, r.exitCode(), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("pass +java +passes\\.pkt .* \\[1/1]")), r.out());
    assertTrue(r.out().contains("java: 1 passed, 0 failed, 0 errors"), r.out());
    assertTrue(r.out().contains("PASSED"), r.out());
  }

  @Test
  void theSuiteFolderPassesOnJavaAsInConform() {
    CliRun r = runJava("../packetdrill-scripts/closed");
    assertEquals(0, r.exitCode(), r.out());
    assertEquals(5, r.out().lines().filter(l -> l.matches("pass .* \\[\\d/5]")).count(), r.out());
  }

  @Test
  void onATerminalABarMovesAndOnlyCellsThatDidNotPassGetALine() {
    CliRun r = runJava("--progress", "bar", fixture("passes.pkt"), fixture("fails.pkt"));
    assertEquals(1, r.exitCode(), r.out());
    assertTrue(r.out().contains("\r\033[2K[############------------] suite: java 1/2, "), r.out());
    assertTrue(r.out().contains("[########################] suite: java 2/2, 1 failed, "), r.out());
    assertTrue(r.out().contains("fail        java  fails.pkt"), r.out());
    assertFalse(r.out().contains("pass        java  passes.pkt"), r.out());
    CliRun log = runJava("--progress", "lines", fixture("passes.pkt"), fixture("fails.pkt"));
    assertFalse(log.out().contains("\r"), log.out());
    assertTrue(log.out().contains("pass        java  passes.pkt"), log.out());
  }

  @Test
  void aFailureExitsOneNamingFileAndLine() {
    CliRun r = runJava(fixture("fails.pkt"));
    assertEquals(1, r.exitCode(), r.out());
    assertTrue(r.out().contains("fail        java"), r.out());
    assertTrue(r.out().contains(fixture("fails.pkt") + ":4:"), r.out());
    assertTrue(r.out().contains("FAILED: 1 failed"), r.out());
  }

  @Test
  void anErrorExitsOneNamingFileLineAndColumn() {
    CliRun r = runJava(fixture("parse-error.pkt"));
    assertEquals(1, r.exitCode(), r.out());
    assertTrue(r.out().contains(fixture("parse-error.pkt") + ":2:8: expected ':', found '('"), r.out());
    assertTrue(r.out().contains("FAILED: 1 error"), r.out());
  }

  @Test
  void anUnsupportedScriptExitsOneUnlessAllowed() {
    CliRun r = runJava(fixture("unsupported.pkt"));
    assertEquals(1, r.exitCode(), r.out());
    assertTrue(r.out().contains("unsupported: UDP packets"), r.out());
    assertTrue(r.out().contains("FAILED: 1 unsupported (--allow-unsupported accepts them)"), r.out());
    CliRun allowed = runJava("--allow-unsupported", fixture("unsupported.pkt"), fixture("passes.pkt"));
    assertEquals(0, allowed.exitCode(), allowed.out());
  }

  @Test
  void anUnavailableSystemSaysWhyInOneLineAndExitsOneUnlessAllowed() {
    Function<String, Optional<SutFactory>> suts = name -> name.equals("linux")
        ? Optional.of(unavailable("linux", "needs root (test seam)"))
        : Suts.byName(name);
    CliRun r = CliRun.with(suts, args("--sut", "linux,java", fixture("passes.pkt"), fixture("fails.pkt")));
    assertEquals(1, r.exitCode(), r.out());
    assertEquals(List.of("linux: needs root (test seam); 2 scripts not run"),
        r.out().lines().filter(l -> l.contains("needs root")).toList(), r.out());
    assertTrue(r.out().contains("linux: 0 passed, 0 failed, 0 errors, 0 known divergences, 0 stale entries,"
        + " 0 unsupported, 2 not available"), r.out());
    assertTrue(r.out().contains("2 not available (--allow-unavailable accepts them)"), r.out());

    CliRun allowed = CliRun.with(suts, args("--allow-unavailable", "--sut", "linux,java", fixture("passes.pkt")));
    assertEquals(0, allowed.exitCode(), allowed.out());
    CliRun stillFailing = CliRun.with(suts,
        args("--allow-unavailable", "--sut", "linux,java", fixture("passes.pkt"), fixture("fails.pkt")));
    assertEquals(1, stillFailing.exitCode(), stillFailing.out());
    assertTrue(stillFailing.out().contains("FAILED: 1 failed ("), stillFailing.out());
  }

  @Test
  void aRunThatSelectsNoScriptExitsOne() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    CliRun r = runJava(empty.toString());
    assertEquals(1, r.exitCode(), r.out());
    assertTrue(r.out().contains("FAILED: no script was selected"), r.out());
  }

  @Test
  void aReviewedDivergenceReadsKnownAndExitsZeroAndAStaleEntryExitsOne() throws IOException {
    Path project = tmp.resolve("project");
    Path dir = Files.createDirectories(project.resolve("packetdrill-scripts").resolve("x"));
    Files.copy(FIXTURES.resolve("fails.pkt"), dir.resolve("fails.pkt"));
    Files.copy(FIXTURES.resolve("passes.pkt"), dir.resolve("passes.pkt"));
    Files.createDirectories(project.resolve("reports"));
    Files.writeString(project.resolve("reports").resolve("known-divergences"),
        "x/fails.pkt | java | reviewed: the fixture expects the wrong sequence number\n");
    CliRun known = CliRun.of("run", "--sut", "java", "--report", tmp.resolve("report").toString(),
        "--root", project.toString(), dir.resolve("fails.pkt").toString());
    assertEquals(0, known.exitCode(), known.out());
    assertTrue(known.out().contains("known       java  x/fails.pkt"), known.out());
    assertFalse(known.out().contains("] fail"), known.out());
    assertTrue(known.out().contains("1 known divergences"), known.out());

    Files.writeString(project.resolve("reports").resolve("known-divergences"),
        "x/passes.pkt | java | no longer true\n");
    CliRun stale = CliRun.of("run", "--sut", "java", "--report", tmp.resolve("report").toString(),
        "--root", project.toString(), dir.resolve("passes.pkt").toString());
    assertEquals(1, stale.exitCode(), stale.out());
    assertTrue(stale.out().contains("stale       java"), stale.out());
    assertTrue(stale.out().contains("FAILED: 1 stale known-divergence entry (remove them)"), stale.out());
  }

  @Test
  void reviewedCellsOfScriptsOutsideTheSuiteComeFromTheFileGiven() throws IOException {
    Path corpus = Files.createDirectories(tmp.resolve("corpus").resolve("y"));
    Files.copy(FIXTURES.resolve("fails.pkt"), corpus.resolve("fails.pkt"));
    Path reviewed = tmp.resolve("reviewed");
    Files.writeString(reviewed, "y/fails.pkt | java | reviewed: the fixture expects the wrong sequence number\n");
    CliRun known = CliRun.of("run", "--sut", "java", "--report", tmp.resolve("report").toString(),
        "--known-divergences", reviewed.toString(), corpus.resolve("fails.pkt").toString());
    assertEquals(0, known.exitCode(), known.out());
    assertTrue(known.out().contains("1 known divergences"), known.out());
    assertFalse(known.out().contains("apply to scripts under its packetdrill-scripts/ only"), known.out());

    CliRun missing = CliRun.of("run", "--sut", "java", "--report", tmp.resolve("report").toString(),
        "--known-divergences", tmp.resolve("nothing").toString(), corpus.resolve("fails.pkt").toString());
    assertEquals(TcpspecCli.EXIT_USAGE, missing.exitCode(), missing.out());
    assertTrue(missing.err().contains("--known-divergences: no such file"), missing.err());
  }

  /**
   * An entry whose script ends in address families holds in those only, whether the family comes
   * from --variants or the command line's --ip_version; one for the cell's family wins over one
   * for every family, and an entry for every family that a family passes is stale there.
   */
  @Test
  void anEntryNamingFamiliesHoldsInThoseAndWinsOverOneForEveryFamily() throws IOException {
    Path corpus = Files.createDirectories(tmp.resolve("corpus").resolve("y"));
    Files.copy(FIXTURES.resolve("fails.pkt"), corpus.resolve("fails.pkt"));
    Files.copy(FIXTURES.resolve("passes.pkt"), corpus.resolve("passes.pkt"));
    Path reviewed = tmp.resolve("reviewed");
    Files.writeString(reviewed, """
        y/fails.pkt [ipv6] | java | reviewed in ipv6
        y/fails.pkt | java | reviewed in every family
        y/passes.pkt [ipv4-mapped-ipv6] | java | stale in the mapped family
        """);
    CliRun variants = CliRun.of("run", "--sut", "java", "--report", tmp.resolve("report").toString(),
        "--known-divergences", reviewed.toString(), "--variants", "ipv4,ipv6", corpus.toString());
    assertEquals(0, variants.exitCode(), variants.out());
    assertTrue(variants.out().contains("known divergence (known-divergences:2): reviewed in every family"), variants.out());
    assertTrue(variants.out().contains("known divergence (known-divergences:1): reviewed in ipv6"), variants.out());
    assertTrue(variants.out().contains("2 passed, 0 failed, 0 errors, 2 known divergences, 0 stale"), variants.out());

    Files.writeString(reviewed, "y/fails.pkt [ipv6] | java | reviewed in ipv6 only\n");
    CliRun commandLine = CliRun.of("run", "--sut", "java", "--report", tmp.resolve("report").toString(),
        "--known-divergences", reviewed.toString(), "--ip_version=ipv6", corpus.resolve("fails.pkt").toString());
    assertEquals(0, commandLine.exitCode(), commandLine.out());
    CliRun ipv4 = CliRun.of("run", "--sut", "java", "--report", tmp.resolve("report").toString(),
        "--known-divergences", reviewed.toString(), corpus.resolve("fails.pkt").toString());
    assertEquals(1, ipv4.exitCode(), ipv4.out());
    assertTrue(ipv4.out().contains("FAILED: 1 failed"), ipv4.out());

    Files.writeString(reviewed, "y/passes.pkt | java | not true in ipv4\n");
    CliRun stale = CliRun.of("run", "--sut", "java", "--report", tmp.resolve("report").toString(),
        "--known-divergences", reviewed.toString(), "--variants", "ipv4", corpus.resolve("passes.pkt").toString());
    assertEquals(1, stale.exitCode(), stale.out());
    assertTrue(stale.out().contains("1 stale known-divergence entry"), stale.out());

    Files.writeString(reviewed, "y/fails.pkt [ipv5] | java | no such family\n");
    CliRun bad = CliRun.of("run", "--sut", "java", "--report", tmp.resolve("report").toString(),
        "--known-divergences", reviewed.toString(), corpus.resolve("fails.pkt").toString());
    assertEquals(TcpspecCli.EXIT_USAGE, bad.exitCode(), bad.out());
    assertTrue(bad.err().contains("reviewed:1: unknown address family 'ipv5'"), bad.err());
  }

  @Test
  void aMalformedKnownDivergencesFileIsAUsageErrorNamingItsLine() throws IOException {
    Path project = tmp.resolve("project");
    Files.createDirectories(project.resolve("reports"));
    Files.writeString(project.resolve("reports").resolve("known-divergences"), "# reviewed\nno bars here\n");
    CliRun r = CliRun.of("run", "--sut", "java", "--report", tmp.resolve("report").toString(),
        "--root", project.toString(), fixture("passes.pkt"));
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode(), r.out());
    assertTrue(r.err().contains("known-divergences:2: expected 'script | system | reason'"), r.err());
  }

  @Test
  void writesTheWholeReportForScriptsOutsideAnyProject() throws IOException {
    Path scripts = tmp.resolve("my scripts");
    Files.createDirectories(scripts.resolve("a"));
    Files.createDirectories(scripts.resolve("b"));
    Files.copy(FIXTURES.resolve("passes.pkt"), scripts.resolve("a").resolve("passes.pkt"));
    Files.copy(FIXTURES.resolve("fails.pkt"), scripts.resolve("b").resolve("fails.pkt"));
    Path report = tmp.resolve("out");
    Path junit = tmp.resolve("ci").resolve("junit.xml");
    CliRun r = CliRun.of("run", "--sut", "java", "--report", report.toString(), "--junit", junit.toString(),
        "--root", tmp.resolve("no-project").toString(), scripts.toString());
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("report: " + report.resolve("index.html")), r.out());

    String html = Files.readString(report.resolve("index.html"));
    assertTrue(html.contains("<svg"), "ladders");
    assertTrue(html.contains("id=\"java-b-fails-pkt\""), html);
    assertTrue(html.contains("href=\"pcap/java-a-passes-pkt.pcap\""), html);
    assertTrue(html.contains("Note:</b> Coverage of TLA+ actions, Figure 5 arrows and §3.5.2 rules left out"), html);
    Matcher refs = Pattern.compile("(?:id|href)=\"([^\"]*)\"").matcher(html);
    while (refs.find()) {
      assertFalse(refs.group(1).contains(tmp.getFileName().toString()), "absolute path in " + refs.group());
    }
    String md = Files.readString(report.resolve("summary.md"));
    assertTrue(md.contains("| java |  | 1 | 1 | 0 |"), md);
    assertTrue(md.contains("b/fails.pkt: b/fails.pkt:4: outbound packet: seq"), "messages name the script as the report does: " + md);
    assertFalse(md.contains(tmp.toString()), "no absolute path: " + md);
    assertTrue(md.contains("> Note: No known divergences applied"), md);
    assertTrue(md.contains("b/fails.pkt"), md);
    String perSut = Files.readString(report.resolve("junit").resolve("TEST-java.xml"));
    assertTrue(perSut.contains("tests=\"2\" failures=\"1\""), perSut);
    try (Stream<Path> pcaps = Files.list(report.resolve("pcap"))) {
      assertEquals(List.of("java-a-passes-pkt.pcap", "java-b-fails-pkt.pcap"),
          pcaps.map(p -> p.getFileName().toString()).sorted().toList());
    }
    String one = Files.readString(junit);
    assertTrue(one.contains("<testsuites name=\"tcpspec\" tests=\"2\" failures=\"1\" errors=\"0\""), one);
    assertTrue(one.contains("<testsuite name=\"conformance.java\""), one);
    assertTrue(one.contains("classname=\"conformance.java.b\" name=\"fails.pkt\""), one);
  }

  /** A system under test that cannot run here, as LinuxSut's factory is without root. */
  private static SutFactory unavailable(String name, String reason) {
    return new SutFactory() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Optional<String> unavailable() {
        return Optional.of(reason);
      }

      @Override
      public boolean parallel() {
        return true;
      }

      @Override
      public SystemUnderTest open(String scriptName, RunConfig config) throws IOException {
        throw new IOException(name + " is not available: " + reason);
      }
    };
  }
}
