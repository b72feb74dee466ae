package org.tcpspec.trace;

/** Where transition records go. Implementations must not throw into the protocol core. */
@FunctionalInterface
public interface TraceSink {
  void record(TraceRecord record);

  /** A sink that keeps nothing, for runs that do not trace. */
  TraceSink NONE = r -> {};
}
