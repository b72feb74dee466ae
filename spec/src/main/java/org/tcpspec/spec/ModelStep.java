package org.tcpspec.spec;

/**
 * One edge of TcpEndpoint's state graph projected onto {@code state} and {@code passive} (the
 * variable {@code last} only makes self-loops visible): the state before and whether the
 * connection came from LISTEN, the TLA+ action, the state and {@code passive} after. The test
 * generator writes one script per distinct step.
 */
public record ModelStep(String from, boolean passive, String action, String to, boolean passiveAfter) {

  @Override
  public String toString() {
    return from + (passive ? "[passive]" : "[active]") + " --" + action + "--> " + to
        + (passiveAfter ? "[passive]" : "[active]");
  }
}
