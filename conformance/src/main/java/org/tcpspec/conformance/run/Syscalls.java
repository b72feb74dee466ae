package org.tcpspec.conformance.run;

import static org.tcpspec.conformance.run.CallArgs.arg;
import static org.tcpspec.conformance.run.CallArgs.argCount;
import static org.tcpspec.conformance.run.CallArgs.fd;
import static org.tcpspec.conformance.run.CallArgs.field;
import static org.tcpspec.conformance.run.CallArgs.liveFd;
import static org.tcpspec.conformance.run.CallArgs.scriptFd;
import static org.tcpspec.conformance.run.CallArgs.unescape;
import static org.tcpspec.conformance.run.CallArgs.value;
import static org.tcpspec.conformance.run.CallResults.checkResult;
import static org.tcpspec.conformance.run.CallResults.ints;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Syscall;

/**
 * The system call table: script name -> handler. A handler turns the script's call into a live
 * {@link SocketCall} (script fds to live fds, symbols to Linux values, {@code ...} addresses to
 * the test addresses) and checks the live result against the script's, as packetdrill's
 * run_system_call does. Every handler has the same shape. The socket calls' own handlers are here
 * (socket, bind, listen, accept, connect, the read and write calls, close, shutdown, fcntl,
 * poll); the message calls (sendmsg, recvmsg, readv, writev) are in {@link MessageCalls},
 * setsockopt and getsockopt in {@link SockOptCalls}, the descriptor calls that are not sockets'
 * (open, pipe, sendfile, splice, ioctl, epoll) in {@link FileCalls}. All read their arguments
 * through {@link CallArgs} and check their results through {@link CallResults}.
 */
final class Syscalls {
  private Syscalls() {}

  interface Builder {
    SocketCall build(Interpreter in, Syscall s) throws ScriptFailure;
  }

  interface Checker {
    void check(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r) throws ScriptFailure;
  }

  record Handler(Builder build, Checker check) {}

  static final Map<String, Handler> TABLE = Map.ofEntries(
      Map.entry("socket", new Handler(
          (in, s) -> new SocketCall.Socket(
              arg(s, 0) instanceof Expr.Ellipsis ? in.config().socketDomain() : (int) value(in, arg(s, 0)), (int) value(in, arg(s, 1)), (int) value(in, arg(s, 2))),
          CallResults::checkNewSocket)),
      Map.entry("bind", new Handler((in, s) -> {
        int port = sockaddrPort(in, arg(s, 1)).orElse(ScriptSocket.DEFAULT_LOCAL_PORT);
        in.socket.bind(port);
        return new SocketCall.Bind(fd(in, s), in.config().bindAddress(port));
      }, CallResults::checkResult)),
      Map.entry("listen", new Handler((in, s) -> {
        in.newSockets.remove(scriptFd(in, s));
        int fd = fd(in, s);
        in.socket.listen(fd);
        return new SocketCall.Listen(fd, (int) value(in, arg(s, 1)));
      }, CallResults::checkResult)),
      Map.entry("accept", new Handler((in, s) -> new SocketCall.Accept(fd(in, s)), CallResults::checkNewFd)),
      Map.entry("accept4", new Handler((in, s) -> new SocketCall.Accept(fd(in, s)), CallResults::checkNewFd)),
      Map.entry("connect", new Handler(Syscalls::buildConnect, CallResults::checkResult)),
      Map.entry("write", new Handler(
          (in, s) -> write(in, s, 0),
          CallResults::checkResult)),
      Map.entry("send", new Handler(
          (in, s) -> write(in, s, (int) value(in, arg(s, 3))),
          CallResults::checkResult)),
      Map.entry("sendto", new Handler(Syscalls::buildSendTo, CallResults::checkResult)),
      Map.entry("sendmsg", new Handler(MessageCalls::buildSendMsg, CallResults::checkResult)),
      Map.entry("writev", new Handler(MessageCalls::buildWritev, CallResults::checkResult)),
      Map.entry("read", new Handler(
          (in, s) -> read(in, s, 0),
          CallResults::checkResult)),
      Map.entry("recv", new Handler(
          (in, s) -> read(in, s, (int) value(in, arg(s, 3))),
          CallResults::checkResult)),
      // On a connected TCP socket recvfrom's address is not filled in: it is recv.
      Map.entry("recvfrom", new Handler(
          (in, s) -> read(in, s, (int) value(in, arg(s, 3))),
          CallResults::checkResult)),
      Map.entry("recvmsg", new Handler(MessageCalls::buildRecvMsg, MessageCalls::checkRecvMsg)),
      Map.entry("readv", new Handler(MessageCalls::buildReadv, CallResults::checkResult)),
      Map.entry("close", new Handler((in, s) -> new SocketCall.Close(fd(in, s)), CallResults::checkResult)),
      Map.entry("shutdown", new Handler(
          (in, s) -> new SocketCall.Shutdown(fd(in, s), (int) value(in, arg(s, 1))),
          CallResults::checkResult)),
      Map.entry("setsockopt", new Handler(SockOptCalls::buildSetSockOpt, CallResults::checkResult)),
      Map.entry("getsockopt", new Handler(SockOptCalls::buildGetSockOpt, SockOptCalls::checkGetSockOpt)),
      Map.entry("fcntl", new Handler(
          (in, s) -> new SocketCall.Fcntl(fd(in, s), (int) value(in, arg(s, 1)),
              s.args().size() > 2 ? value(in, arg(s, 2)) : 0),
          CallResults::checkResult)),
      Map.entry("ioctl", new Handler(FileCalls::buildIoctl, FileCalls::checkIoctl)),
      Map.entry("poll", new Handler(Syscalls::buildPoll, Syscalls::checkPoll)),
      Map.entry("epoll_create", new Handler(
          (in, s) -> new SocketCall.EpollCreate((int) value(in, arg(s, 0))), CallResults::checkNewFd)),
      Map.entry("epoll_ctl", new Handler(FileCalls::buildEpollCtl, CallResults::checkResult)),
      Map.entry("epoll_wait", new Handler(FileCalls::buildEpollWait, FileCalls::checkEpollWait)),
      Map.entry("open", new Handler(FileCalls::buildOpen, CallResults::checkNewFd)),
      Map.entry("pipe", new Handler((in, s) -> new SocketCall.Pipe(), FileCalls::checkPipe)),
      Map.entry("sendfile", new Handler(FileCalls::buildSendFile, CallResults::checkResult)),
      Map.entry("splice", new Handler(FileCalls::buildSplice, CallResults::checkResult)));

  /** System calls packetdrill knows that this runner does not make, with what they need. */
  private static final Map<String, String> NOT_MADE = Map.of(
      "cap_set", "system call cap_set (process capabilities through libcap)",
      "psp_rx_assoc", "system call psp_rx_assoc (PSP)",
      "psp_tx_assoc", "system call psp_tx_assoc (PSP)");

  static SocketCall build(Interpreter in, Syscall s) throws ScriptFailure {
    Handler h = TABLE.get(s.name());
    if (h == null) {
      throw ScriptFailure.unsupported(NOT_MADE.getOrDefault(s.name(), "system call " + s.name()));
    }
    return h.build().build(in, s);
  }

  static void check(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r) throws ScriptFailure {
    TABLE.get(s.name()).check().check(in, s, call, r);
  }

  // ---- sockets: addresses and data

  private static Optional<Integer> sockaddrPort(Interpreter in, Expr e) throws ScriptFailure {
    if (e instanceof Expr.Struct st) {
      Optional<Expr> port = field(st, "sin_port");
      if (port.isPresent()) return Optional.of((int) value(in, port.get()));
    }
    return Optional.empty();
  }

  /**
   * write/send/sendto: the buffer is {@code ...} (zeros) or NULL, which goes to the system under
   * test as a null pointer (run_system_call.c, buffer_arg: the kernel answers EFAULT).
   */
  private static SocketCall write(Interpreter in, Syscall s, int flags) throws ScriptFailure {
    int fd = fd(in, s);
    if (isNull(arg(s, 1))) return SocketCall.Write.nullBuffer(fd, (int) value(in, arg(s, 2)), flags);
    return new SocketCall.Write(fd, data(in, arg(s, 1), arg(s, 2)), flags);
  }

  /** read/recv/recvfrom into a buffer of the count's size, or from NULL. */
  private static SocketCall read(Interpreter in, Syscall s, int flags) throws ScriptFailure {
    int fd = fd(in, s);
    int count = (int) value(in, arg(s, 2));
    return isNull(arg(s, 1)) ? SocketCall.Read.nullBuffer(fd, count, flags) : new SocketCall.Read(fd, count, flags);
  }

  /** NULL as packetdrill's lexer reads it: the integer 0. */
  private static boolean isNull(Expr buf) {
    return buf instanceof Expr.Int i && i.value() == 0 || buf instanceof Expr.Word w && w.name().equals("NULL");
  }

  private static byte[] data(Interpreter in, Expr buf, Expr count) throws ScriptFailure {
    int n = (int) value(in, count);
    byte[] out = new byte[Math.max(0, n)];
    if (buf instanceof Expr.Str s) {
      byte[] text = unescape(s);
      System.arraycopy(text, 0, out, 0, Math.min(text.length, out.length));
    }
    return out;
  }

  /**
   * connect(fd, ..., ...) to the script's remote end, which makes the socket the script's active
   * one; or, as packetdrill's syscall_connect takes a bare address family in place of the
   * address, connect(fd, AF_UNSPEC, ...), which dissolves the association and leaves a new socket.
   */
  private static SocketCall buildConnect(Interpreter in, Syscall s) throws ScriptFailure {
    Expr address = arg(s, 1);
    if (!(address instanceof Expr.Ellipsis) && !(address instanceof Expr.Struct)) {
      int family = (int) value(in, address);
      if (family == Symbol.AF_UNSPEC.value()) in.newSockets.add(scriptFd(in, s));
      return new SocketCall.ConnectBare(fd(in, s), family);
    }
    int port = sockaddrPort(in, address).orElse(ScriptSocket.DEFAULT_LOCAL_PORT);
    in.newSockets.remove(scriptFd(in, s));
    in.socket.connect(port);
    return new SocketCall.Connect(fd(in, s), in.config().connectAddress(port));
  }

  /**
   * sendto: the buffer, and as address the script's remote end ({@code ...}) or the bare address
   * family it writes instead ({@code AF_UNSPEC}). As packetdrill's run_syscall_connect, a new
   * socket starts connecting here (a Fast Open sendto), so the script socket learns the port.
   */
  private static SocketCall buildSendTo(Interpreter in, Syscall s) throws ScriptFailure {
    argCount(s, 6);
    int flags = (int) value(in, arg(s, 3));
    SocketCall.SockAddr to = remoteEnd(in, s, arg(s, 4));
    if (isNull(arg(s, 1))) return SocketCall.SendTo.nullBuffer(fd(in, s), (int) value(in, arg(s, 2)), flags, to);
    return new SocketCall.SendTo(fd(in, s), data(in, arg(s, 1), arg(s, 2)), flags, to);
  }

  /** The address a sendto or sendmsg passes; a new socket becomes the script's active socket. */
  static SocketCall.SockAddr remoteEnd(Interpreter in, Syscall s, Expr family) throws ScriptFailure {
    int scriptFd = scriptFd(in, s);
    if (!(family instanceof Expr.Ellipsis)) {
      int f = (int) value(in, family);
      if (f == Symbol.AF_UNSPEC.value()) in.newSockets.add(scriptFd);
      return SocketCall.SockAddr.bare(f);
    }
    if (in.newSockets.remove(scriptFd)) in.socket.connect(ScriptSocket.DEFAULT_LOCAL_PORT);
    return in.config().connectAddress(ScriptSocket.DEFAULT_LOCAL_PORT);
  }

  // ---- poll

  private static SocketCall buildPoll(Interpreter in, Syscall s) throws ScriptFailure {
    if (!(arg(s, 0) instanceof Expr.Array arr)) {
      throw ScriptFailure.error(s.pos(), "poll: expected an array of {fd=..., events=...}");
    }
    List<SocketCall.PollFd> fds = new ArrayList<>();
    for (Expr item : arr.items()) {
      if (!(item instanceof Expr.Struct st) || field(st, "fd").isEmpty() || field(st, "events").isEmpty()) {
        throw ScriptFailure.error(item.pos(), "poll: expected {fd=..., events=...[, revents=...]}");
      }
      fds.add(new SocketCall.PollFd(liveFd(in, (int) value(in, field(st, "fd").get())),
          (int) value(in, field(st, "events").get())));
    }
    return new SocketCall.Poll(fds, (int) value(in, arg(s, 2)));
  }

  private static void checkPoll(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
      throws ScriptFailure {
    checkResult(in, s, call, r);
    if (!(s.args().getFirst() instanceof Expr.Array arr)) return;
    List<Long> actual = ints(r);
    for (int i = 0; i < arr.items().size() && i < actual.size(); i++) {
      if (arr.items().get(i) instanceof Expr.Struct st) {
        Optional<Expr> revents = field(st, "revents");
        long expected = revents.isPresent() ? value(in, revents.get()) : 0;
        if (revents.isPresent() && expected != actual.get(i)) {
          throw ScriptFailure.fail(s.pos(), "poll: revents of entry " + i + ": expected "
              + Long.toHexString(expected) + " vs actual " + Long.toHexString(actual.get(i)));
        }
      }
    }
  }
}
