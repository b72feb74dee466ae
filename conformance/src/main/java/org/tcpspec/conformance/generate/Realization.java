package org.tcpspec.conformance.generate;

/** Whether a model step can be written as a script, and if not, why. */
sealed interface Realization {

  /** The script's lines after the header. */
  record Script(String body) implements Realization {}

  /** No script: the reason names what the socket API or the classifier cannot do. */
  record NotRealizable(String reason) implements Realization {}
}
