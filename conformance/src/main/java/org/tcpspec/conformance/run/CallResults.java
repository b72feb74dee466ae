package org.tcpspec.conformance.run;

import static org.tcpspec.conformance.run.CallArgs.value;

import java.util.List;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Syscall;

/**
 * A system call's live result against the script's, as packetdrill's run_system_call.c checks
 * it: the return value and errno ({@code ...} takes any); a call that makes a descriptor (socket,
 * accept, open, epoll_create) maps the script's fd to the live one. Also the ints a call wrote.
 */
final class CallResults {
  private CallResults() {}

  static void checkResult(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
      throws ScriptFailure {
    if (s.result() instanceof Expr.Ellipsis) return;
    long expected = value(in, s.result());
    if (s.errno().isPresent()) {
      Syscall.ErrnoSpec spec = s.errno().get();
      Errno errno = Errno.byName(spec.name())
          .orElseThrow(() -> ScriptFailure.error(s.pos(), "unknown errno " + spec.name()));
      if (r.value() != expected || r.errno() != errno) {
        throw ScriptFailure.fail(s.pos(), s.name() + ": expected " + expected + " " + spec.name()
            + " vs actual " + show(r));
      }
      return;
    }
    if (r.value() != expected) {
      throw ScriptFailure.fail(s.pos(), s.name() + ": expected " + expected + " vs actual " + show(r));
    }
  }

  private static String show(SysResult<?> r) {
    return r.value() + (r.failed() ? " " + r.errno() : "");
  }

  /** A call that makes a descriptor (accept, open, epoll_create): the script's fd maps to it. */
  static void checkNewFd(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
      throws ScriptFailure {
    if (s.result() instanceof Expr.Int i && i.value() >= 0 && r.value() >= 0) {
      in.liveFdByScriptFd.put((int) i.value(), r.intValue());
      // Only socket() and accept() change the socket under test (an epoll or a file is no socket).
      if (call instanceof SocketCall.Socket) in.socket.socket(r.intValue());
      else if (call instanceof SocketCall.Accept) in.socket.accept(r.intValue());
      return;
    }
    checkResult(in, s, call, r);
  }

  /** socket(): a new descriptor, and a new socket that a sendto or sendmsg may connect. */
  static void checkNewSocket(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
      throws ScriptFailure {
    checkNewFd(in, s, call, r);
    if (s.result() instanceof Expr.Int i && r.succeeded()) in.newSockets.add((int) i.value());
  }

  /** The ints a call wrote (ioctl's value, poll's revents, pipe's fds); none if it wrote none. */
  static List<Long> ints(SysResult<CallOutput> r) {
    return r.out().map(o -> o instanceof CallOutput.Ints i ? i.values() : List.<Long>of()).orElse(List.of());
  }
}
