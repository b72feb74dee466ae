package org.tcpspec.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * A sender whose sink segments on transmit (a TUN device with TSO) hands over the new data of an
 * output pass as runs of segments; cut as the kernel cuts them, they are exactly the segments the
 * same sender sends one by one to a sink that does not: same numbers, flags, windows, options and
 * bytes, in the same order, over a link that loses and reorders (so SACK, retransmissions and
 * recovery, which go without runs, are in the mix).
 */
class SegmentRunsTest {

  @Property(tries = 60, seed = "20261206")
  void runsCutAsTheKernelCutsThemAreTheSegmentsSentOneByOne(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    Net single = drive(new Net(false), seed);
    Net runs = drive(new Net(true), seed);
    TwoStackPropertyTest.check(single);
    TwoStackPropertyTest.check(runs);
    assertEquals(0, single.n.runsFromA, "a sink without segmentation takes no runs");
    assertEquals(single.n.sentByA.size(), runs.n.sentByA.size(), "segments A sent");
    for (int i = 0; i < single.n.sentByA.size(); i++) {
      assertEquals(single.n.sentByA.get(i), runs.n.sentByA.get(i), "segment " + i + " of A's");
    }
    Statistics.label("runs").collect(runs.n.runsFromA > 0 ? "A sent runs" : "no run");
  }

  /** The same seeded steps on either net: bulk writes from A, some from B, loss, reordering, ticks. */
  private static Net drive(Net net, long seed) {
    Random random = new Random(seed);
    for (int step = 0; step < 300; step++) {
      int r = random.nextInt(100);
      if (r < 50) net.deliver();
      else if (r < 70) net.sendA(1 + random.nextInt(40_000));
      else if (r < 75) net.sendB(1 + random.nextInt(2_000));
      else if (r < 79) net.lose();
      else if (r < 84) net.reorder();
      else net.tick(1 + random.nextInt(300));
    }
    net.finish();
    return net;
  }

  @Example
  void aBulkTransferOnALosslessLinkGoesInRuns() {
    Net net = new Net(true);
    for (int i = 0; i < 50; i++) {
      net.sendA(30_000);
      net.n.settle();
      net.afterStep();
    }
    net.finish();
    TwoStackPropertyTest.check(net);
    assertTrue(net.n.runsFromA > 20, "runs: " + net.n.runsFromA);
  }
}
