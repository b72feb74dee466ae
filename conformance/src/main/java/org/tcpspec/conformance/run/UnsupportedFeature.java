package org.tcpspec.conformance.run;

/**
 * Thrown by a system under test for a request it cannot carry out because the implementation
 * lacks the feature (the Java stack has no MD5 signatures, ...), so the script's
 * verdict is {@code unsupported: <feature>} instead of a failure or a silent pass.
 */
public final class UnsupportedFeature extends RuntimeException {
  private final String feature;

  public UnsupportedFeature(String feature) {
    super(feature, null, false, false);
    this.feature = feature;
  }

  /** What is missing, as the verdict names it ("TCP MD5 signature option on java"). */
  public String feature() {
    return feature;
  }
}
