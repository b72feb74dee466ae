package org.tcpspec.conformance.script;

/** One line of the script body: when, and what happens then. {@code pos} is the time's place. */
public record Event(Pos pos, EventTime time, Action action) {}
