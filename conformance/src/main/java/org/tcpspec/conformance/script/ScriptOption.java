package org.tcpspec.conformance.script;

import java.util.Optional;

/** A header option such as {@code --tolerance_usecs=10000}: name without the dashes. */
public record ScriptOption(Pos pos, String name, Optional<String> value) {}
