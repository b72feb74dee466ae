package org.tcpspec.conformance.script;

/**
 * When an event happens, in microseconds: absolute from the script start, relative to the
 * previous event ({@code +0.1}), any time ({@code *}, outbound packets only), or a range
 * ({@code 0.1~0.2}, {@code +0~+0.1}, outbound packets only).
 */
public sealed interface EventTime {
  record Absolute(long micros) implements EventTime {}

  record Relative(long micros) implements EventTime {}

  record AnyTime() implements EventTime {}

  record AbsoluteRange(long fromMicros, long toMicros) implements EventTime {}

  record RelativeRange(long fromMicros, long toMicros) implements EventTime {}
}
