package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.Interpreter;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Variant;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.script.CodeBlock;
import org.tcpspec.conformance.script.ScriptEvent;
import org.tcpspec.conformance.script.Syscall;
import org.tcpspec.conformance.script.TcpPacket;

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

  /**
   * A code event cold took 5.8 ms on the interpreter's thread, and the packet after it was judged
   * late: the warm-up plays one on an accepted and on a connecting socket, blank so that no python3
   * starts for it.
   */
  @Test
  void theWarmUpPlaysBlankCodeBlocksOnThePassiveAndTheActiveSide() {
    List<ScriptEvent> events = LinuxWarmUp.script().events();
    int connect = IntStream.range(0, events.size())
        .filter(i -> events.get(i).action() instanceof Syscall s && s.name().equals("connect"))
        .findFirst().orElseThrow();
    List<Integer> blocks = IntStream.range(0, events.size())
        .filter(i -> events.get(i).action() instanceof CodeBlock).boxed().toList();
    assertTrue(blocks.stream().anyMatch(i -> i < connect), "no block on the passive side: " + blocks);
    assertTrue(blocks.stream().anyMatch(i -> i > connect), "no block on the active side: " + blocks);
    for (int i : blocks) assertTrue(((CodeBlock) events.get(i).action()).text().isBlank(), events.get(i).toString());
  }

  /**
   * The per-event path (tap read, parse, check; build and write; a call) runs often enough for the
   * C1 compiler (200 calls) before the first script: a script's few events left it interpreted.
   */
  @Test
  void theWarmUpPlaysEachKindOfEventOftenEnoughToBeCompiled() {
    List<ScriptEvent> events = LinuxWarmUp.script().events();
    long inbound = events.stream().filter(e -> e.action() instanceof TcpPacket p
        && p.direction() == TcpPacket.Direction.INBOUND).count();
    long outbound = events.stream().filter(e -> e.action() instanceof TcpPacket p
        && p.direction() == TcpPacket.Direction.OUTBOUND).count();
    long calls = events.stream().filter(e -> e.action() instanceof Syscall).count();
    assertTrue(inbound >= 200, "inbound packets: " + inbound);
    assertTrue(outbound >= 200, "outbound packets: " + outbound);
    assertTrue(calls >= 200, "calls: " + calls);
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
