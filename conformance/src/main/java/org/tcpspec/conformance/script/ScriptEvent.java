package org.tcpspec.conformance.script;

/** One line of the script body: when, and what happens then. {@code pos} is the time's place. */
public record ScriptEvent(Pos pos, EventTime time, ScriptAction action) {}
