package org.tcpspec.conformance.script;

/** A back-quoted shell line, run inside the test's network namespace. */
public record ShellCommand(Pos pos, String commandLine) implements ScriptAction {}
