package org.tcpspec.conformance.script;

import java.util.List;

/**
 * An argument or result expression of a system call. packetdrill's grammar has one rule per C
 * structure (sockaddr, pollfd, linger, msghdr, ...); they all read as {@code {field=value, ...}},
 * so they parse into one {@link Struct} of {@link Assign}s and the system call handler that
 * knows the structure reads the fields it needs.
 */
public sealed interface Expr {
  Pos pos();

  /** {@code ...}: any value, not checked. */
  record Ellipsis(Pos pos) implements Expr {}

  record Int(Pos pos, long value) implements Expr {}

  /** A symbol such as {@code SOCK_STREAM} or {@code O_NONBLOCK}. */
  record Word(Pos pos, String name) implements Expr {}

  /**
   * A string literal (adjacent literals concatenated), its text as written between the quotes:
   * escapes such as {@code \x01} are read where the value is used, as packetdrill reads them.
   * {@code "abc"...} sets ellipsis.
   */
  record Str(Pos pos, String value, boolean ellipsis) implements Expr {}

  /** {@code a | b}. */
  record Or(Pos pos, Expr left, Expr right) implements Expr {}

  /** {@code name=value} inside a struct, or {@code msg_name(...)=...}. */
  record Assign(Pos pos, Expr key, Expr value) implements Expr {}

  /** {@code htons(8080)}, {@code inet_addr("192.0.2.1")}. */
  record Call(Pos pos, String name, List<Expr> args) implements Expr {
    public Call {
      args = List.copyOf(args);
    }
  }

  /** {@code [a, b]}: an array, or a pointer to a value ({@code [1]}). */
  record Array(Pos pos, List<Expr> items) implements Expr {
    public Array {
      items = List.copyOf(items);
    }
  }

  /** {@code {a, b=c}}: a C structure. */
  record Struct(Pos pos, List<Expr> items) implements Expr {
    public Struct {
      items = List.copyOf(items);
    }
  }
}
