package org.tcpspec.spec;

/**
 * One arrow of the one-endpoint state graph projected onto the RFC 9293 state: the state before,
 * the TLA+ action (an action name of spec/ACTIONS.md), the state after. States are the RFC
 * strings, e.g. {@code "SYN-SENT"}.
 */
public record Edge(String from, String action, String to) {

  @Override
  public String toString() {
    return from + " --" + action + "--> " + to;
  }
}
