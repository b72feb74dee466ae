package org.tcpspec.stack;

import org.tcpspec.abi.Symbol;

/**
 * The sender's congestion state, Linux's tcp_ca_state (tcpi_ca_state), in its order: a state at
 * or above RECOVERY is a loss response under way.
 */
enum CaState {
  /** Nothing outstanding is believed lost or SACKed. */
  OPEN(Symbol.TCP_CA_Open),
  /** SACKs or duplicate ACKs arrived, no loss yet. */
  DISORDER(Symbol.TCP_CA_Disorder),
  /** cwnd is being reduced for a congestion signal without loss (an ECN echo; a tail loss probe's repair). */
  CWR(Symbol.TCP_CA_CWR),
  /** Fast recovery (RFC 5681 §3.2, RFC 6675, PRR). */
  RECOVERY(Symbol.TCP_CA_Recovery),
  /** After a retransmission timeout. */
  LOSS(Symbol.TCP_CA_Loss);

  private final Symbol linux;

  CaState(Symbol linux) {
    this.linux = linux;
  }

  /** The tcpi_ca_state value. */
  int linuxValue() {
    return linux.value();
  }
}
