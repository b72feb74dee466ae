package org.tcpspec.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
  private static final int PACKETS = 10_000;

  private record Run(FaultInjector.Stats stats, List<Integer> received) {}

  /** Sends packets numbered 0..n-1 through a fault injector and collects what arrives. */
  private static Run run(FaultInjector.Faults faults, int n) throws Exception {
    InMemoryLink link = new InMemoryLink(1500, n * 2 + 1);
    FaultInjector faulty = new FaultInjector(link.a(), faults);
    for (int i = 0; i < n; i++) faulty.transmit(ByteBuffer.allocate(4).putInt(i).array());
    faulty.flush();
    List<Integer> received = new ArrayList<>();
    for (Optional<byte[]> p = link.b().receive(0); p.isPresent(); p = link.b().receive(0)) {
      received.add(ByteBuffer.wrap(p.get()).getInt());
    }
    return new Run(faulty.stats(), received);
  }

  @Test
  void ratesMatchTheConfigurationWithinThreeSigma() throws Exception {
    Run r = run(new FaultInjector.Faults(10, 5, 5, 42), PACKETS);
    FaultInjector.Stats s = r.stats();
    assertEquals(PACKETS, s.offered());
    // Binomial: loss 10% of 10,000 has sigma 30; duplicate and reorder apply to survivors.
    assertTrue(Math.abs(s.lost() - 1000) < 90, "lost " + s.lost());
    assertTrue(Math.abs(s.duplicated() - 450) < 63, "duplicated " + s.duplicated());
    assertTrue(Math.abs(s.reordered() - 430) < 63, "reordered " + s.reordered());
    assertEquals(PACKETS - s.lost() + s.duplicated(), s.forwarded());
    assertEquals(s.forwarded(), r.received().size(), "everything forwarded arrives");
  }

  @Test
  void reorderedPacketsArriveAfterTheirSuccessor() throws Exception {
    Run r = run(new FaultInjector.Faults(0, 0, 20, 7), 1000);
    int inversions = 0;
    for (int i = 1; i < r.received().size(); i++) {
      if (r.received().get(i) < r.received().get(i - 1)) inversions++;
    }
    assertEquals(r.stats().reordered(), inversions);
    assertEquals(1000, new HashSet<>(r.received()).size(), "nothing lost, nothing duplicated");
  }

  /** An owner about to wait (an event loop going idle) releases the held packet; a mere look does not. */
  @Test
  void aHeldPacketGoesOutWhenTheOwnerWaitsToReceive() throws Exception {
    InMemoryLink link = new InMemoryLink(1500, 4);
    FaultInjector faulty = new FaultInjector(link.a(), new FaultInjector.Faults(0, 0, 100, 3));
    faulty.transmit(new byte[] {1});
    faulty.receive(0);
    assertTrue(link.b().receive(0).isEmpty(), "held back while the owner only looks");
    faulty.receive(1);
    assertEquals(1, link.b().receive(0).orElseThrow()[0], "released when the owner may wait");
    assertEquals(1, faulty.stats().forwarded());
  }

  @Test
  void theSameSeedReplaysTheSameRunAndAnotherSeedDoesNot() throws Exception {
    FaultInjector.Faults faults = new FaultInjector.Faults(10, 10, 10, 1234);
    Run once = run(faults, 2000);
    Run again = run(faults, 2000);
    assertEquals(once, again);
    Run other = run(new FaultInjector.Faults(10, 10, 10, 4321), 2000);
    assertNotEquals(once.received(), other.received());
  }

  @Test
  void noFaultsIsTransparent() throws Exception {
    Run r = run(FaultInjector.Faults.none(), 100);
    assertEquals(java.util.stream.IntStream.range(0, 100).boxed().toList(), r.received());
  }

  @Test
  void ratesOutsidePercentAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new FaultInjector.Faults(101, 0, 0, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new FaultInjector.Faults(0, Double.NaN, 0, 1));
  }
}
