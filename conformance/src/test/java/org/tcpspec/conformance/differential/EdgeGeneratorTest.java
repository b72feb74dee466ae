package org.tcpspec.conformance.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.script.Parser;
import org.tcpspec.conformance.script.Script;
import org.tcpspec.conformance.script.ScriptException;

class EdgeGeneratorTest {

  @Test
  void aSeedIsItsSequence() {
    assertEquals(EdgeGenerator.generate(42).stimulusScript(), EdgeGenerator.generate(42).stimulusScript());
    assertNotEquals(EdgeGenerator.generate(42).stimulusScript(), EdgeGenerator.generate(43).stimulusScript());
  }

  /** Every stimulus is a script the runner takes, and the seeds cover every kind of step. */
  @Test
  void stimuliParseAndCoverEveryKindOfStep() throws ScriptException {
    Set<String> kinds = new TreeSet<>();
    boolean withTimestamps = false;
    boolean withoutTimestamps = false;
    boolean nearWrap = false;
    for (long seed = 0; seed < 300; seed++) {
      EdgeSequence s = EdgeGenerator.generate(seed);
      Script script = Parser.parse("seed-" + seed + ".pkt", s.stimulusScript());
      assertTrue(script.unsupported().isEmpty(), seed + ": " + script.unsupported());
      for (Step step : s.body()) kinds.add(step.kind().split("[@ ]")[0]);
      withTimestamps |= s.timestamps();
      withoutTimestamps |= !s.timestamps();
      nearWrap |= s.remoteIsn() > 0xFFFF_0000L;
    }
    assertEquals(Set.of("ack", "close", "data", "fin", "read", "rst", "shutdown", "syn", "write"), kinds);
    assertTrue(withTimestamps && withoutTimestamps && nearWrap);
  }

  @Test
  void dataAtTheWindowsRightEdgeIsWrittenInScriptValues() {
    Step.Inbound beyond = new Step.Inbound(130, "data@+64256", "P.", 1 + EdgeGenerator.RCV_WND, 10, 1,
        EdgeGenerator.REMOTE_WINDOW, new Step.Timestamp.Option(130, 5025));
    assertEquals("0.130 < P. 64257:64267(10) ack 1 win 502 <nop,nop,TS val 130 ecr 5025>", beyond.line(0));
    Step.Inbound syn = new Step.Inbound(140, "syn@=", "S", 1, 0, 1, 502, new Step.Timestamp.None());
    assertEquals("0.140 < S 4294967196:4294967196(0) win 502", syn.line(0xFFFF_FFFFL - 100));
  }
}
