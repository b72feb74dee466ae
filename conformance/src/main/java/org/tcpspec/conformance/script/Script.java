package org.tcpspec.conformance.script;

import java.util.List;
import java.util.Optional;

/**
 * A parsed script, as packetdrill's grammar has it: header options, an optional init command, the
 * events, an optional cleanup command. {@code unsupported} lists constructs this runner does not
 * run (IPv6, UDP, ICMP, ...); a script with any is reported as unsupported instead of being run.
 */
public record Script(
    String file,
    List<ScriptOption> options,
    Optional<ShellCommand> initCommand,
    List<ScriptEvent> events,
    Optional<ShellCommand> cleanupCommand,
    List<Unsupported> unsupported) {

  public Script {
    options = List.copyOf(options);
    events = List.copyOf(events);
    unsupported = List.copyOf(unsupported);
  }

  /** The value of header option {@code --name=value}, if given. */
  public Optional<String> option(String name) {
    return options.stream().filter(o -> o.name().equals(name)).reduce((a, b) -> b)
        .flatMap(ScriptOption::value);
  }
}
