package org.tcpspec.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The marks bench samples its event loop at: each action once, when the bytes reach it. */
class TransferProgressTest {

  @Test
  void eachMarkRunsOnceWhenTheBytesReachIt() {
    List<String> ran = new ArrayList<>();
    TransferProgress p = new TransferProgress(100, () -> ran.add("first"), 300, () -> ran.add("second"));
    p.received(99);
    assertEquals(List.of(), ran);
    p.received(1);
    assertEquals(List.of("first"), ran);
    p.received(150);
    assertEquals(List.of("first"), ran);
    p.received(50);
    p.received(1000);
    assertEquals(List.of("first", "second"), ran);
  }

  @Test
  void oneReadCrossingBothMarksRunsBothInOrder() {
    List<String> ran = new ArrayList<>();
    TransferProgress p = new TransferProgress(10, () -> ran.add("first"), 20, () -> ran.add("second"));
    p.received(25);
    assertEquals(List.of("first", "second"), ran);
  }

  @Test
  void aSecondMarkBeforeTheFirstIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TransferProgress(20, () -> {}, 10, () -> {}));
  }
}
