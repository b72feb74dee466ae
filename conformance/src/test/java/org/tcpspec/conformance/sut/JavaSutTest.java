package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.Verdict;

/** Suite scripts on our stack, in process on a manual clock: exact timing, no waiting. */
class JavaSutTest {

  @Test
  void handshakeRstAndCloseScriptsPassOnOurStack() {
    for (String s : List.of("listen/passive-open.pkt", "closed/syn-to-closed-port.pkt",
        "rst/rst-in-window-challenge-ack.pkt", "close/active-close.pkt", "syn-sent/simultaneous-open.pkt")) {
      RunResult r = Runner.runOne(Path.of("../packetdrill-scripts", s), JavaSut.factory());
      assertEquals(new Verdict.Pass(), r.verdict(), s);
    }
  }

  @Test
  void aScriptThatWaitsAMinuteTakesNoTime() {
    long start = System.nanoTime();
    RunResult r = Runner.runOne(Path.of("../packetdrill-scripts/close/time-wait-timeout.pkt"), JavaSut.factory());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 5_000, millis + " ms");
    assertTrue(r.packets().getLast().micros() >= 63_000_000L, r.packets().toString());
  }
}
