package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.Transition;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.trace.TraceRecord;

/**
 * Issue #4, "Done when": the tests grouped by RFC state cover every row of the table. Runs every
 * test of the per-state classes and checks that the (from, action, to) of each row appears in the
 * traces they produced; the rows the implementation cannot reach are listed with their reason.
 */
class RowCoverageTest {
  private static final List<Class<?>> STATE_TESTS = List.of(ClosedAndListenTest.class, SynSentTest.class,
      SynReceivedTest.class, EstablishedTest.class, ClosingStatesTest.class, SynchronizedArrivalsTest.class);

  /**
   * Rows of the model the implementation never takes, and why. The model keeps them because it
   * abstracts sequence numbers away; the classifier knows more.
   */
  static final Map<String, String> UNREACHABLE = Map.of(
      "FIN-WAIT-2 FinWait2RcvAck FIN-WAIT-2",
      "in FIN-WAIT-2 everything we sent, FIN included, is acknowledged: no ACK can be new",
      "TIME-WAIT TimeWaitRcvAck TIME-WAIT",
      "in TIME-WAIT everything we sent, FIN included, is acknowledged: no ACK can be new");

  @Test
  void stateTestsCoverEveryRow() throws Exception {
    Harness.ALL.clear();
    for (Class<?> c : STATE_TESTS) runAll(c);
    runAll(RowCoverageTest.class.getDeclaredMethod("simultaneousOpenRowsOfSynReceived"), this);
    Set<String> seen = new TreeSet<>();
    for (TraceRecord r : Harness.ALL) seen.add(r.from() + " " + r.action() + " " + r.to());
    Set<String> missing = new TreeSet<>();
    for (Transition t : TransitionTable.instance().rows()) {
      String key = t.from().rfcName() + " " + t.specAction() + " " + t.to().rfcName();
      if (!seen.contains(key) && !UNREACHABLE.containsKey(key)) missing.add(key);
    }
    assertTrue(missing.isEmpty(), "rows no state test takes:\n  " + String.join("\n  ", missing));
    for (String key : UNREACHABLE.keySet()) assertTrue(!seen.contains(key), "listed as unreachable but taken: " + key);
  }

  /** The ACTIVE-guarded SYN-RECEIVED rows, reached by simultaneous open. */
  void simultaneousOpenRowsOfSynReceived() {
    for (String kind : List.of("rst", "syn", "timeout")) {
      Harness h = Harness.synSent();
      h.send(Harness.peer(org.tcpspec.wire.TcpFlags.SYN, Harness.PEER_ISS, 0));
      h.out();
      h.expectState(State.SYN_RECEIVED);
      switch (kind) {
        case "rst" -> h.send(Harness.peer(org.tcpspec.wire.TcpFlags.RST, h.rcvNxt(), 0));
        case "syn" -> h.send(Harness.peer(org.tcpspec.wire.TcpFlags.SYN, h.rcvNxt(), 0));
        default -> {
          for (int i = 0; i < 10 && h.conn.state() == State.SYN_RECEIVED; i++) {
            h.clock.advanceNanos(h.stack.nextDeadlineNanos() - h.clock.nowNanos());
            h.stack.runTimers();
          }
        }
      }
      h.expectState(kind.equals("syn") ? State.SYN_RECEIVED : State.CLOSED);
    }
  }

  private static void runAll(Class<?> c) throws Exception {
    var ctor = c.getDeclaredConstructor();
    ctor.setAccessible(true);
    for (Method m : c.getDeclaredMethods()) {
      if (m.isAnnotationPresent(Test.class)) {
        runAll(m, ctor.newInstance());
      } else if (m.isAnnotationPresent(ParameterizedTest.class)) {
        for (String name : m.getAnnotation(EnumSource.class).names()) {
          m.setAccessible(true);
          m.invoke(ctor.newInstance(), State.valueOf(name));
        }
      }
    }
  }

  private static void runAll(Method m, Object target) throws Exception {
    m.setAccessible(true);
    m.invoke(target);
  }
}
