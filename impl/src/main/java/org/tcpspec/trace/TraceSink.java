package org.tcpspec.trace;

/** Where transition records go. Implementations must not throw into the protocol core. */
public interface TraceSink {
  void record(TraceRecord record);

  /** Whether records are wanted at all: when not, the engine builds none (no per-segment cost). */
  default boolean enabled() {
    return true;
  }

  /** A sink that keeps nothing, for runs that do not trace. */
  TraceSink NONE = new TraceSink() {
    @Override
    public void record(TraceRecord record) {}

    @Override
    public boolean enabled() {
      return false;
    }
  };
}
