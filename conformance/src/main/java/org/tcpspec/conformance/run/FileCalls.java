package org.tcpspec.conformance.run;

import java.util.List;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Syscall;

/**
 * The descriptor calls that are not socket calls: ioctl, open, pipe, sendfile, splice and the
 * epoll calls, made and checked as packetdrill's run_system_call.c does.
 */
final class FileCalls {
  private FileCalls() {}

  /**
   * ioctl(fd, request) or ioctl(fd, request, [int]): the third argument is a pointer to an int
   * whose value after the call must equal the script's ("Bad ioctl optval").
   */
  static SocketCall buildIoctl(Interpreter in, Syscall s) throws ScriptFailure {
    if (s.args().size() != 2 && s.args().size() != 3) {
      throw ScriptFailure.error(s.pos(), "ioctl expected 2-3 args but got " + s.args().size());
    }
    if (s.args().size() == 3 && !(s.args().get(2) instanceof Expr.Array)) {
      throw ScriptFailure.error(s.args().get(2).pos(), "ioctl: expected [int] as the third argument");
    }
    return new SocketCall.Ioctl(CallArgs.fd(in, s), CallArgs.value(in, CallArgs.arg(s, 1)), s.args().size() == 3);
  }

  static void checkIoctl(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r) throws ScriptFailure {
    CallResults.checkResult(in, s, call, r);
    if (s.args().size() != 3) return;
    long expected = (int) CallArgs.bracketed(in, s, (Expr.Array) s.args().get(2));
    List<Long> out = CallResults.ints(r);
    long actual = out.isEmpty() ? 0 : out.getFirst();
    if (expected != actual) {
      throw ScriptFailure.fail(s.pos(), "ioctl: value: expected " + expected + " vs actual " + actual);
    }
  }

  /** open("path", flags): the path is a file of the machine the system under test runs on. */
  static SocketCall buildOpen(Interpreter in, Syscall s) throws ScriptFailure {
    CallArgs.argCount(s, 2);
    if (!(CallArgs.arg(s, 0) instanceof Expr.Str path)) {
      throw ScriptFailure.error(CallArgs.arg(s, 0).pos(), "open: expected a path string");
    }
    return new SocketCall.Open(CallArgs.text(path), (int) CallArgs.value(in, CallArgs.arg(s, 1)));
  }

  /** pipe([r, w]): the script's two fds map to the live ones. */
  static void checkPipe(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r) throws ScriptFailure {
    CallArgs.argCount(s, 1);
    if (!(CallArgs.arg(s, 0) instanceof Expr.Array a) || a.items().size() != 2) {
      throw ScriptFailure.error(s.pos(), "pipe: expected [fd, fd]");
    }
    CallResults.checkResult(in, s, call, r);
    List<Long> live = CallResults.ints(r);
    if (r.failed() || live.size() != 2) return;
    for (int k = 0; k < 2; k++) {
      in.liveFdByScriptFd.put((int) CallArgs.value(in, a.items().get(k)), live.get(k).intValue());
    }
  }

  /** sendfile(out, in, [offset], count). */
  static SocketCall buildSendFile(Interpreter in, Syscall s) throws ScriptFailure {
    CallArgs.argCount(s, 4);
    if (!(CallArgs.arg(s, 2) instanceof Expr.Array offset)) {
      throw ScriptFailure.error(CallArgs.arg(s, 2).pos(), "sendfile: expected [offset]");
    }
    int out = CallArgs.fd(in, s);
    int from = CallArgs.liveFd(in, (int) CallArgs.value(in, CallArgs.arg(s, 1)));
    return new SocketCall.SendFile(out, from, CallArgs.bracketed(in, s, offset),
        (int) CallArgs.value(in, CallArgs.arg(s, 3)));
  }

  /**
   * splice(fd_in, off_in, fd_out, off_out, len, flags): the offsets are what packetdrill passes as
   * the loff_t pointers, so NULL is a null pointer and any other number an address.
   */
  static SocketCall buildSplice(Interpreter in, Syscall s) throws ScriptFailure {
    CallArgs.argCount(s, 6);
    int from = CallArgs.fd(in, s);
    int to = CallArgs.liveFd(in, (int) CallArgs.value(in, CallArgs.arg(s, 2)));
    return new SocketCall.Splice(from, CallArgs.value(in, CallArgs.arg(s, 1)), to,
        CallArgs.value(in, CallArgs.arg(s, 3)), (int) CallArgs.value(in, CallArgs.arg(s, 4)),
        (int) CallArgs.value(in, CallArgs.arg(s, 5)));
  }

  /** The epoll_data a script's {@code {events=.., fd=|ptr=|u32=|u64=..}} names. */
  private enum DataKind { FD, PTR, U32, U64 }

  private record EpollEvent(int events, DataKind kind, long data) {}

  /**
   * An epoll_event: events and one of fd (a script fd, passed as its live fd), ptr, u32, u64.
   * {@code requiredFd} is epoll_ctl's fd argument, which an {@code fd=} must name.
   */
  private static EpollEvent epollEvent(Interpreter in, Syscall s, Expr e, int requiredFd) throws ScriptFailure {
    if (!(e instanceof Expr.Struct st)) throw ScriptFailure.error(e.pos(), s.name() + ": expected {events=..., fd=...}");
    int events = (int) CallArgs.value(in, CallArgs.required(st, "events", "epoll_event"));
    for (DataKind k : DataKind.values()) {
      var v = CallArgs.field(st, k.name().toLowerCase());
      if (v.isEmpty()) continue;
      long value = CallArgs.value(in, v.get());
      if (k == DataKind.FD) {
        if (requiredFd >= 0 && value != requiredFd) {
          throw ScriptFailure.error(e.pos(), s.name() + ": wrong fd specified in epoll_event");
        }
        value = CallArgs.liveFd(in, (int) value);
      }
      return new EpollEvent(events, k, value);
    }
    throw ScriptFailure.error(e.pos(), s.name() + ": epoll_event specified incorrectly (fd=, ptr=, u32= or u64=)");
  }

  /** epoll_ctl(epfd, op, fd, {events=.., fd=..}). */
  static SocketCall buildEpollCtl(Interpreter in, Syscall s) throws ScriptFailure {
    CallArgs.argCount(s, 4);
    int epfd = CallArgs.fd(in, s);
    int op = (int) CallArgs.value(in, CallArgs.arg(s, 1));
    int scriptFd = (int) CallArgs.value(in, CallArgs.arg(s, 2));
    int fd = CallArgs.liveFd(in, scriptFd);
    EpollEvent ev = epollEvent(in, s, CallArgs.arg(s, 3), scriptFd);
    return new SocketCall.EpollCtl(epfd, op, fd, ev.events(), ev.data());
  }

  /** epoll_wait(epfd, {events=.., fd=..}, maxevents, timeout). */
  static SocketCall buildEpollWait(Interpreter in, Syscall s) throws ScriptFailure {
    CallArgs.argCount(s, 4);
    int epfd = CallArgs.fd(in, s);
    epollEvent(in, s, CallArgs.arg(s, 1), -1);
    return new SocketCall.EpollWait(epfd, (int) CallArgs.value(in, CallArgs.arg(s, 2)),
        (int) CallArgs.value(in, CallArgs.arg(s, 3)));
  }

  /**
   * packetdrill's syscall_epoll_wait check: the first event of the (zeroed) array against the
   * script's, events exactly, the data as the kind the script names it (an fd or u32: 32 bits).
   */
  static void checkEpollWait(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
      throws ScriptFailure {
    CallResults.checkResult(in, s, call, r);
    EpollEvent expected = epollEvent(in, s, CallArgs.arg(s, 1), -1);
    CallOutput.EpollEvent live = r.out().map(o -> (CallOutput.EpollEvent) o).orElse(new CallOutput.EpollEvent(0, 0));
    if (expected.events() != live.events()) {
      throw ScriptFailure.fail(s.pos(), "epoll_wait: events: expected 0x" + Integer.toHexString(expected.events())
          + " vs actual 0x" + Integer.toHexString(live.events()));
    }
    long mask = expected.kind() == DataKind.FD || expected.kind() == DataKind.U32 ? 0xFFFF_FFFFL : -1L;
    if ((expected.data() & mask) != (live.data() & mask)) {
      throw ScriptFailure.fail(s.pos(), "epoll_wait: data." + expected.kind().name().toLowerCase() + ": expected "
          + (expected.data() & mask) + " vs actual " + (live.data() & mask));
    }
  }
}
