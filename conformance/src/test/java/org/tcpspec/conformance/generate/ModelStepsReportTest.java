package org.tcpspec.conformance.generate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.spec.ModelStep;

/** The model-steps section: the per-step table, the grid of states by events, grouped differences. */
class ModelStepsReportTest {

  private static ModelScripts.Generated script(String from, String action, String to, String file) {
    return new ModelScripts.Generated(new ModelStep(from, false, false, action, to, false, false), file, "body", null);
  }

  private static RunResult result(String file, String sut, Verdict v) {
    return new RunResult("/tmp/generated/" + file, sut, v, 1, List.of(), List.of(), null);
  }

  @Test
  void gridCountsEachSystemsPassesPerStateAndEvent() {
    List<ModelScripts.Generated> generated = List.of(
        script("ESTABLISHED", "EstablishedRcvData", "ESTABLISHED", "established/active-EstablishedRcvData.pkt"),
        script("TIME-WAIT", "TimeWaitRcvData", "TIME-WAIT", "time-wait/active-TimeWaitRcvData.pkt"));
    List<RunResult> results = List.of(
        result("established/active-EstablishedRcvData.pkt", "linux", new Verdict.Pass(List.of())),
        result("established/active-EstablishedRcvData.pkt", "java", new Verdict.Pass(List.of())),
        result("time-wait/active-TimeWaitRcvData.pkt", "linux",
            new Verdict.Fail("time-wait/active-TimeWaitRcvData.pkt:12: outbound packet: timing: late")),
        result("time-wait/active-TimeWaitRcvData.pkt", "java", new Verdict.Pass(List.of())));
    String md = ModelStepsReport.markdown(generated, results, List.of("linux", "java"));
    assertTrue(md.contains("| ESTABLISHED |"), md);
    assertTrue(md.contains(" rcv data |"), md);
    assertTrue(md.contains("linux 1/1, java 1/1"), md);
    assertTrue(md.contains("linux 0/1, java 1/1"), md);
    assertTrue(md.contains("1 × `linux: outbound packet: timing: late`"), md);
  }
}
