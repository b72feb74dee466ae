package org.tcpspec.conformance.differential;

import java.nio.file.Path;

/**
 * A divergence written for review: its signature, the shrunk script (which passes on the reference
 * and not on the judged system), the seed of the sequence it came from, how many steps it had and
 * has, and how many sequences of the run met the same signature.
 */
public record Finding(String signature, Path script, long seed, int stepsBefore, int stepsAfter, int hits,
    boolean referenceRepeated) {

  Finding withHits(int n) {
    return new Finding(signature, script, seed, stepsBefore, stepsAfter, n, referenceRepeated);
  }
}
