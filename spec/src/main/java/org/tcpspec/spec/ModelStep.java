package org.tcpspec.spec;

/**
 * One edge of TcpEndpoint's state graph projected onto {@code state}, {@code passive} and {@code
 * fastOpen} (the variable {@code last} only makes self-loops visible): the state before, whether
 * the connection came from LISTEN and whether it took text from its SYN by Fast Open (RFC 7413
 * §4.2.2, only ever TRUE in SYN-RECEIVED), the TLA+ action, and the same after. The test generator
 * writes one script per distinct step.
 */
public record ModelStep(
    String from, boolean passive, boolean fastOpen, String action, String to, boolean passiveAfter,
    boolean fastOpenAfter) {

  @Override
  public String toString() {
    return from + origin(passive, fastOpen) + " --" + action + "--> " + to + origin(passiveAfter, fastOpenAfter);
  }

  private static String origin(boolean passive, boolean fastOpen) {
    return fastOpen ? "[passive, fast open]" : passive ? "[passive]" : "[active]";
  }
}
