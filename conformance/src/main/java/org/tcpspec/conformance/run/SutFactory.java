package org.tcpspec.conformance.run;

import java.io.IOException;
import java.util.Optional;

/**
 * Makes a fresh {@link SystemUnderTest} per script run. {@link #unavailable()} says why a system
 * under test cannot run in this build or on this machine; its cells are reported as "not
 * available" with that reason instead of passing or failing.
 */
public interface SutFactory {
  String name();

  Optional<String> unavailable();

  /** Whether runs may overlap (each in its own namespace, say). */
  boolean parallel();

  /**
   * A fresh system under test for one run of {@code scriptName}, set up as {@code config} says
   * (addresses, MTU).
   */
  SystemUnderTest open(String scriptName, RunConfig config) throws IOException;
}
