package org.tcpspec.conformance.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Syscall;

/**
 * sendmsg, recvmsg, readv and writev as packetdrill's run_system_call.c makes and checks them. A
 * msghdr is written {@code {msg_name(...)=..., msg_iov(N)=[{..., len}, ...], msg_flags=F[,
 * msg_control=[cmsg, ...]]}}: the name is the remote end, each iovec a zero-filled buffer of its
 * length, and the control messages are encoded as C lays them out ({@link ControlMessages}).
 * recvmsg gets the script's own control messages as its control buffer, exactly their size, and
 * its msg_flags preset to the script's, as packetdrill's msghdr_new does; after the call the flags
 * must equal the script's and the control messages must match one by one.
 */
final class MessageCalls {
  private MessageCalls() {}

  /** A msghdr of the script. */
  private record MsgHdr(boolean named, List<Integer> iovLengths, Expr flags, List<Expr> control) {}

  static SocketCall buildSendMsg(Interpreter in, Syscall s) throws ScriptFailure {
    CallArgs.argCount(s, 3);
    MsgHdr m = msghdr(in, s, CallArgs.arg(s, 1));
    int flags = (int) CallArgs.value(in, CallArgs.arg(s, 2));
    Optional<SocketCall.SockAddr> name = m.named()
        ? Optional.of(Syscalls.remoteEnd(in, s, new Expr.Ellipsis(s.pos()))) : Optional.empty();
    if (CallArgs.value(in, m.flags()) != 0) {
      throw ScriptFailure.error(s.pos(), "sendmsg ignores msg_flags field in msghdr");
    }
    return new SocketCall.SendMsg(CallArgs.fd(in, s), m.iovLengths(), name,
        ControlMessages.encode(in, m.control()), flags);
  }

  static SocketCall buildRecvMsg(Interpreter in, Syscall s) throws ScriptFailure {
    CallArgs.argCount(s, 3);
    MsgHdr m = msghdr(in, s, CallArgs.arg(s, 1));
    int flags = (int) CallArgs.value(in, CallArgs.arg(s, 2));
    return new SocketCall.RecvMsg(CallArgs.fd(in, s), m.iovLengths(), ControlMessages.encode(in, m.control()),
        (int) CallArgs.value(in, m.flags()), flags);
  }

  /** recvmsg's result, then msg_flags, then the control messages (packetdrill's syscall_recvmsg). */
  static void checkRecvMsg(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
      throws ScriptFailure {
    CallResults.checkResult(in, s, call, r);
    SocketCall.RecvMsg recv = (SocketCall.RecvMsg) call;
    CallOutput.Message live = r.out().map(o -> (CallOutput.Message) o)
        .orElse(new CallOutput.Message(recv.msgFlags(), recv.control()));
    if (live.flags() != recv.msgFlags()) {
      throw ScriptFailure.fail(s.pos(), "recvmsg: msg_flags: expected 0x" + Integer.toHexString(recv.msgFlags())
          + " vs actual 0x" + Integer.toHexString(live.flags()));
    }
    ControlMessages.check(in, s, recv.control(), live.control());
  }

  static SocketCall buildWritev(Interpreter in, Syscall s) throws ScriptFailure {
    CallArgs.argCount(s, 3);
    return new SocketCall.Writev(CallArgs.fd(in, s), iovecs(in, s, CallArgs.arg(s, 1), CallArgs.arg(s, 2)));
  }

  static SocketCall buildReadv(Interpreter in, Syscall s) throws ScriptFailure {
    CallArgs.argCount(s, 3);
    return new SocketCall.Readv(CallArgs.fd(in, s), iovecs(in, s, CallArgs.arg(s, 1), CallArgs.arg(s, 2)));
  }

  /** readv/writev's iovec array and count, which must agree. */
  private static List<Integer> iovecs(Interpreter in, Syscall s, Expr array, Expr count) throws ScriptFailure {
    List<Integer> lengths = iovLengths(in, s, array);
    long n = CallArgs.value(in, count);
    if (n != lengths.size()) {
      throw ScriptFailure.error(s.pos(), "iov_count " + n + " does not match " + lengths.size() + "-element iovec array");
    }
    return lengths;
  }

  private static MsgHdr msghdr(Interpreter in, Syscall s, Expr e) throws ScriptFailure {
    if (!(e instanceof Expr.Struct st)) {
      throw ScriptFailure.error(e.pos(), s.name() + ": expected a msghdr {msg_name(...)=..., msg_iov(N)=[...], msg_flags=...}");
    }
    boolean named = false;
    Optional<Expr> iov = Optional.empty();
    long iovLen = -1;
    for (Expr item : st.items()) {
      if (item instanceof Expr.Assign a && a.key() instanceof Expr.Call c) {
        if (c.name().equals("msg_name")) named = true;
        if (c.name().equals("msg_iov") && c.args().size() == 1) {
          iov = Optional.of(a.value());
          iovLen = CallArgs.value(in, c.args().getFirst());
        }
      }
    }
    if (iov.isEmpty()) throw ScriptFailure.error(st.pos(), s.name() + ": expected msg_iov(N)=[...] in the msghdr");
    List<Integer> lengths = iovLengths(in, s, iov.get());
    if (iovLen != lengths.size()) {
      throw ScriptFailure.error(st.pos(), "msg_iovlen " + iovLen + " does not match " + lengths.size() + "-element iovec array");
    }
    Expr flags = CallArgs.required(st, "msg_flags", "msghdr");
    List<Expr> control = List.of();
    Optional<Expr> c = CallArgs.field(st, "msg_control");
    if (c.isPresent()) {
      if (!(c.get() instanceof Expr.Array a)) throw ScriptFailure.error(c.get().pos(), "msg_control: expected [cmsg, ...]");
      control = a.items();
    }
    return new MsgHdr(named, lengths, flags, control);
  }

  /** An array of iovecs {@code [{..., len}, ...]}: their lengths. */
  private static List<Integer> iovLengths(Interpreter in, Syscall s, Expr e) throws ScriptFailure {
    if (!(e instanceof Expr.Array a)) throw ScriptFailure.error(e.pos(), s.name() + ": expected an iovec array [{..., len}, ...]");
    List<Integer> out = new ArrayList<>();
    for (Expr item : a.items()) {
      if (!(item instanceof Expr.Struct st) || st.items().size() != 2 || !(st.items().getFirst() instanceof Expr.Ellipsis)) {
        throw ScriptFailure.error(item.pos(), s.name() + ": expected an iovec {..., len}");
      }
      out.add((int) CallArgs.value(in, st.items().get(1)));
    }
    return out;
  }
}
