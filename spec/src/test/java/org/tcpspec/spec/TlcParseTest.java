package org.tcpspec.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TLC's output is the only interface to it: pin how each kind of ending is read. */
class TlcParseTest {

  @Test
  void successReadsCountsWithThousandsSeparators() {
    TlcResult r =
        Tlc.parse(
            """
            Model checking completed. No error has been found.
            1,234,567 states generated, 123,456 distinct states found, 0 states left on queue.
            The depth of the complete state graph search is 42.
            """,
            Duration.ZERO);
    assertEquals(TlcResult.SUCCESS, r.verdict());
    assertEquals(123_456, r.distinctStates());
    assertEquals(42, r.depth());
    assertEquals("", r.counterexample());
  }

  @Test
  void invariantViolationNamesTheConjunctAndKeepsTheTrace() {
    TlcResult r =
        Tlc.parse(
            """
            Error: Invariant NoDeadEnd is violated.
            Error: The behavior up to this point is:
            State 1: <Initial predicate>
            /\\ state = "CLOSED"
            19 states generated, 19 distinct states found, 15 states left on queue.
            The depth of the complete state graph search is 3.
            """,
            Duration.ZERO);
    assertEquals("NoDeadEnd", r.verdict());
    assertEquals(19, r.distinctStates());
    assertEquals(3, r.depth());
    assertTrue(r.counterexample().contains("State 1: <Initial predicate>"), r.counterexample());
  }

  @Test
  void temporalViolationTakesTheDepthFromTheLastProgressReport() {
    TlcResult r =
        Tlc.parse(
            """
            Progress(9) at 2026-11-21 16:36:16: 869 states generated, 323 distinct states found
            Progress(21) at 2026-11-21 16:36:30: 24,911 states generated, 5,762 distinct states found, 0 states left on queue.
            Error: Temporal properties were violated.
            Error: The following behavior constitutes a counter-example:
            State 1: <Initial predicate>
            24911 states generated, 5762 distinct states found, 0 states left on queue.
            """,
            Duration.ZERO);
    assertEquals(TlcResult.TEMPORAL, r.verdict());
    assertEquals(5762, r.distinctStates());
    assertEquals(21, r.depth());
  }

  @Test
  void temporalDeadlockAndParseErrorsAreTold() {
    assertEquals(
        TlcResult.TEMPORAL,
        Tlc.parse("Error: Temporal properties were violated.\n", Duration.ZERO).verdict());
    assertEquals(
        TlcResult.DEADLOCK, Tlc.parse("Error: Deadlock reached.\n", Duration.ZERO).verdict());
    assertEquals(
        TlcResult.ERROR,
        Tlc.parse("***Parse Error***\nFatal errors while parsing\n", Duration.ZERO).verdict());
  }
}
