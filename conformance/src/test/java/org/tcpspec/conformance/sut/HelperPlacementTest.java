package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which CPUs a cell's thread and the JVM's compiler and GC threads keep to, by the CPUs the thread may use. */
class HelperPlacementTest {

  @Test
  void aFreeThreadTakesTheLastCpuAndTheHelpersTheOthers() {
    assertEquals(Optional.of(new HelperPlacement.Plan(3, List.of(0, 1, 2))), HelperPlacement.plan(List.of(0, 1, 2, 3), null));
    assertEquals(Optional.of(new HelperPlacement.Plan(1, List.of(0))), HelperPlacement.plan(List.of(0, 1), null));
  }

  @Test
  void oneCpuLeavesEverythingWhereItIs() {
    assertEquals(Optional.empty(), HelperPlacement.plan(List.of(0), null));
  }

  @Test
  void aThreadPlacedBeforeKeepsThePlan() {
    HelperPlacement.Plan before = new HelperPlacement.Plan(1, List.of(0));
    assertEquals(Optional.of(before), HelperPlacement.plan(List.of(1), before));
    // A lent cell's thread, not yet placed, gets the same plan.
    assertEquals(Optional.of(before), HelperPlacement.plan(List.of(0, 1), before));
  }

  @Test
  void aThreadKeptToOneCpuIsLeftWhereItIs() {
    // Kept there from outside (taskset): no CPU is left for the helpers, or it is not the plan's.
    assertEquals(Optional.empty(), HelperPlacement.plan(List.of(1), null));
    assertEquals(Optional.empty(), HelperPlacement.plan(List.of(0), new HelperPlacement.Plan(1, List.of(0))));
  }
}
