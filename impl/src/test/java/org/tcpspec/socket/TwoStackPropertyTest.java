package org.tcpspec.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;
import org.tcpspec.spec.TcbTraceValidation;
import org.tcpspec.spec.TcbTraceVerdict;
import org.tcpspec.spec.TraceStep;
import org.tcpspec.spec.TraceValidation;
import org.tcpspec.spec.TraceVerdict;
import org.tcpspec.trace.TcbTraces;
import org.tcpspec.trace.TraceRecord;

/**
 * Issue #4, "Done when": two stacks over a link that loses, duplicates and reorders, driven by
 * random user calls and clock ticks. Every byte written is read exactly once and in order, and
 * both ends reach CLOSED (through TIME-WAIT where due). A sample run's traces are checked by TLC
 * against spec/TcpTrace.tla, and down to their TCB against spec/TcpTcbTrace.tla.
 */
class TwoStackPropertyTest {

  @Provide
  ActionChainArbitrary<Net> runs() {
    return ActionChain.<Net>startWith(Net::new)
        .withAction(3, Action.just(Transformer.mutate("Deliver", Net::deliver)))
        .withAction(1, Action.just(Transformer.mutate("Lose", Net::lose)))
        .withAction(1, Action.just(Transformer.mutate("Duplicate", Net::duplicate)))
        .withAction(1, Action.just(Transformer.mutate("Reorder", Net::reorder)))
        .withAction(1, Action.just(Transformer.mutate("Tick", net -> net.tick(2_000))))
        .withAction(2, new Action.Independent<Net>() {
          @Override
          public net.jqwik.api.Arbitrary<Transformer<Net>> transformer() {
            return Arbitraries.integers().between(1, 3000).map(len -> Transformer.mutate("SEND A " + len, net -> net.sendA(len)));
          }
        })
        .withAction(2, new Action.Independent<Net>() {
          @Override
          public net.jqwik.api.Arbitrary<Transformer<Net>> transformer() {
            return Arbitraries.integers().between(1, 3000).map(len -> Transformer.mutate("SEND B " + len, net -> net.sendB(len)));
          }
        })
        .withAction(1, Action.just(Transformer.mutate("CLOSE A", Net::closeA)))
        .withAction(1, Action.just(Transformer.mutate("CLOSE B", Net::closeB)))
        .withMaxTransformations(80);
  }

  @Property(tries = 500, seed = "20261121")
  void everyByteWrittenIsReadOnceInOrderAndBothEndsClose(@ForAll("runs") ActionChain<Net> chain) {
    Net net = chain.run();
    net.finish();
    check(net);
    // So a vacuous run shows in the report: how many runs moved data, how many lost segments.
    Statistics.label("data").collect(net.writtenByA.size() + net.writtenByB.size() > 0 ? "moved data" : "no data");
    Statistics.label("handshake").collect(net.childFd >= 0 ? "accepted" : "never accepted");
  }

  static void check(Net net) {
    assertTrue(net.openConnections().isEmpty(), "connections left: " + net.openConnections());
    // No run aborts, and the link heals for the finish: no reset or timeout may reach a user.
    assertTrue(!net.errorSeen, "an application saw a reset or a timeout");
    assertArrayEquals(net.writtenByA.toByteArray(), net.readByB.toByteArray(), "A -> B stream");
    assertArrayEquals(net.writtenByB.toByteArray(), net.readByA.toByteArray(), "B -> A stream");
  }

  /**
   * One seeded lossy run, its per-connection traces checked by TLC: the states (TcpTrace.tla),
   * then SND.UNA, SND.NXT, RCV.NXT and SND.WND of every record (TcpTcbTrace.tla), all connections
   * in one run.
   */
  @Example
  void tracesOfALossyRunAreAcceptedByTheModel() throws IOException {
    Net net = new Net();
    Random r = new Random(7);
    for (int i = 0; i < 300; i++) {
      switch (r.nextInt(10)) {
        case 0, 1, 2, 3 -> net.deliver();
        case 4 -> net.lose();
        case 5 -> net.duplicate();
        case 6 -> net.reorder();
        case 7 -> net.tick(2_000);
        case 8 -> net.sendA(1 + r.nextInt(2000));
        case 9 -> net.sendB(1 + r.nextInt(2000));
        default -> throw new IllegalStateException();
      }
    }
    net.finish();
    check(net);
    assertTrue(net.writtenByA.size() > 10_000 && net.writtenByB.size() > 10_000, "the sample run must move data");
    Map<String, List<TraceStep>> byConnection = new LinkedHashMap<>();
    for (TraceRecord rec : net.n.trace.records()) {
      byConnection.computeIfAbsent(rec.connection(), k -> new java.util.ArrayList<>())
          .add(new TraceStep(rec.action(), rec.from(), rec.to()));
    }
    assertTrue(byConnection.size() >= 3, "expected client, listener and child traces: " + byConnection.keySet());
    // Trace files for people: NDJSON, one record per transition.
    java.nio.file.Path dir = java.nio.file.Path.of("target", "traces");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(dir.resolve("lossy-run.ndjson"), net.n.trace.toNdjson());
    for (Map.Entry<String, List<TraceStep>> e : byConnection.entrySet()) {
      TraceVerdict v = TraceValidation.check(e.getValue());
      assertEquals(new TraceVerdict.Accepted(e.getValue().size()), v, e.getKey() + ": " + e.getValue());
    }
    int records = net.n.trace.records().size();
    assertEquals(new TcbTraceVerdict.Accepted(byConnection.size(), records),
        TcbTraceValidation.check(TcbTraces.byConnection(net.n.trace.records())));
  }
}
