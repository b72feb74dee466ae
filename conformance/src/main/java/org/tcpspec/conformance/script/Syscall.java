package org.tcpspec.conformance.script;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A system call with its expected result: {@code name(args) = result [ERRNO (text)]}. {@code
 * endMicros} is the {@code ...time} end of a blocking call, as written.
 */
public record Syscall(
    Pos pos,
    String name,
    OptionalLong endMicros,
    List<Expr> args,
    Expr result,
    Optional<ErrnoSpec> errno,
    Optional<String> note)
    implements ScriptAction {

  public Syscall {
    args = List.copyOf(args);
  }

  /** {@code EAGAIN (Resource temporarily unavailable)}. */
  public record ErrnoSpec(String name, String text) {}
}
