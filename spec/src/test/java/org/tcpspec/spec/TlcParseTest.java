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
