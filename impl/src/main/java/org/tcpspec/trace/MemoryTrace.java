package org.tcpspec.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A sink that keeps every record in memory, for tests, trace validation and the conformance
 * runner. Not thread-safe: the stack is driven from one thread.
 */
public final class MemoryTrace implements TraceSink {
  private final List<TraceRecord> records = new ArrayList<>();

  @Override
  public void record(TraceRecord record) {
    records.add(record);
  }

  public List<TraceRecord> records() {
    return List.copyOf(records);
  }

  /** The records of one connection, in order. */
  public List<TraceRecord> of(String connection) {
    return records.stream().filter(r -> r.connection().equals(connection)).toList();
  }

  /** All records as NDJSON, one per line. */
  public String toNdjson() {
    return records.stream().map(TraceRecord::toJson).collect(Collectors.joining("\n", "", records.isEmpty() ? "" : "\n"));
  }

  public void clear() {
    records.clear();
  }
}
