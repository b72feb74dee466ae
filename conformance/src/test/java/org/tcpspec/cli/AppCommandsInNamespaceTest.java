package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** demo and a small bench, end to end through the CLI, in namespaces they make themselves. */
@Timeout(120)
class AppCommandsInNamespaceTest {

  @BeforeAll
  static void root() throws IOException {
    String uid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
        StandardCharsets.US_ASCII).strip();
    assumeTrue(uid.equals("0"), "network namespaces need root (CAP_SYS_ADMIN); not root here");
  }

  private static String namespaces() throws IOException {
    return new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes(),
        StandardCharsets.UTF_8);
  }

  private static boolean leftOver(String before, String after, String purpose) {
    long pid = ProcessHandle.current().pid();
    return after.lines().filter(l -> l.startsWith("tcpspec-" + purpose + "-" + pid + "-"))
        .anyMatch(l -> !before.contains(l));
  }

  @Test
  void demoPassesEveryCheckAndLeavesNoNamespace() throws IOException {
    String before = namespaces();
    AppCommandsTest.Run r = AppCommandsTest.run("demo");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("demo: all checks passed"), r.out());
    assertTrue(r.out().contains("ok   echo: sent 1000000 bytes, got 1000000 back"), r.out());
    assertFalse(r.out().contains("FAIL"), r.out());
    assertFalse(leftOver(before, namespaces(), "demo"), "demo namespace left behind");
  }

  @Test
  void smallBenchPrintsRatesPerMtuAndNaForTheStack() throws IOException {
    String before = namespaces();
    AppCommandsTest.Run r =
        AppCommandsTest.run("bench", "--megabytes", "4", "--max-seconds", "10", "--mtu", "1500,65000");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    List<String> lines = r.out().lines().toList();
    Pattern kernelRow =
        Pattern.compile("kernel (->|<-) kernel \\(veth\\) +\\d+\\.\\d MB/s +\\d+\\.\\d MB/s");
    assertEquals(2, lines.stream().filter(l -> kernelRow.matcher(l).find()).count(), r.out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("kernel -> stack (TUN)")
        && l.endsWith("n/a: stack on TUN not landed (issue #5)")), r.out());
    assertTrue(lines.getFirst().contains("4 MB per transfer"), r.out());
    assertFalse(leftOver(before, namespaces(), "bencha"), "bench namespace a left behind");
    assertFalse(leftOver(before, namespaces(), "benchb"), "bench namespace b left behind");
  }
}
