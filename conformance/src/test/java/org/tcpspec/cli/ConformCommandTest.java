package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcpspec conform} on project roots made here (java only, no TLC): what it needs and what it does without. */
class ConformCommandTest {

  @TempDir Path tmp;

  @Test
  void aRootWithASuiteButNoSpecReportsWithNotesInsteadOfATrace() throws IOException {
    Path suite = Files.createDirectories(tmp.resolve("packetdrill-scripts").resolve("closed"));
    Files.copy(RunCommandTest.FIXTURES.resolve("passes.pkt"), suite.resolve("passes.pkt"));
    CliRun r = CliRun.of("conform", "--no-tlc", "--sut", "java", "--root", tmp.toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertFalse((r.out() + r.err()).contains("Exception"), r.out() + r.err());
    assertTrue(r.out().contains("pass        java  closed/passes.pkt"), r.out());
    String html = Files.readString(tmp.resolve("reports").resolve("index.html"));
    assertTrue(html.contains("no script here names actions in its header"), html);
    assertFalse(html.contains("Coverage of TLA+ actions</h2>"), html);
    assertTrue(Files.exists(tmp.resolve("reports").resolve("junit").resolve("TEST-java.xml")));
  }

  @Test
  void aRootWithoutASuiteIsAUsageError() {
    CliRun r = CliRun.of("conform", "--no-tlc", "--sut", "java", "--root", tmp.toString());
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode(), r.out());
    assertTrue(r.err().contains("no suite at " + tmp.resolve("packetdrill-scripts")), r.err());
  }
}
