package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.Interpreter;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Variant;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.script.Syscall;

/**
 * The JVM's warm-up before the first linux cell: it makes each kind of call the corpora make
 * often, so no script pays for the first use of a call's path, and it plays through on the kernel
 * (its verdict is not reported by a run, so a line the kernel answers otherwise would silently leave
 * the calls after it cold).
 */
class LinuxWarmUpTest {

  @Test
  void theWarmUpMakesEachKindOfCallTheCorporaMakeOften() {
    Set<String> made = new TreeSet<>();
    LinuxWarmUp.script().events().forEach(e -> {
      if (e.action() instanceof Syscall s) made.add(s.name());
    });
    for (String call : Set.of("socket", "setsockopt", "getsockopt", "bind", "listen", "accept", "connect",
        "fcntl", "ioctl", "poll", "read", "readv", "recv", "recvmsg", "write", "writev", "send", "sendto",
        "sendmsg", "shutdown", "close")) {
      assertTrue(made.contains(call), call + " is not warmed; the warm-up makes " + made);
    }
  }

  @Test
  void theWarmUpScriptPassesOnTheKernelInEachVariant() throws Exception {
    assumeTrue(LinuxSut.factory().unavailable().isEmpty(), "linux system under test unavailable");
    for (String variant : Variant.NAMES) {
      RunConfig config = LinuxWarmUp.config(variant);
      try (LinuxSut sut = LinuxSut.open(config)) {
        RunResult r = new Interpreter(LinuxWarmUp.script(), sut, config).run();
        assertEquals(new Verdict.Pass(), r.verdict(), variant);
      }
    }
  }
}
