package org.tcpspec.conformance.sut;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.linux.EpollEvent;
import org.tcpspec.conformance.linux.KernelSockets;
import org.tcpspec.conformance.linux.PollFd;
import org.tcpspec.conformance.linux.ReceivedMessage;
import org.tcpspec.conformance.run.CallOutput;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.device.linux.SockAddr;
import org.tcpspec.device.linux.SockAddrIn;
import org.tcpspec.device.linux.SockAddrIn6;

/**
 * A script's {@link SocketCall} made on the kernel: one case per call, each the {@link
 * KernelSockets} call it stands for with its arguments in the kernel's form (socket addresses,
 * option bytes), and what the kernel wrote back in the runner's {@link CallOutput}. Runs on
 * whichever thread makes the call.
 */
final class KernelCalls {

  private final KernelSockets sockets;

  KernelCalls(KernelSockets sockets) {
    this.sockets = sockets;
  }

  SysResult<CallOutput> perform(SocketCall call) {
    return switch (call) {
      case SocketCall.Socket s -> result(sockets.socket(s.domain(), s.type(), s.protocol()));
      case SocketCall.Bind b -> result(sockets.bind(b.fd(), live(b.addr()).orElseThrow()));
      case SocketCall.Listen l -> result(sockets.listen(l.fd(), l.backlog()));
      case SocketCall.Accept a -> result(sockets.accept(a.fd()));
      case SocketCall.Connect c -> result(sockets.connect(c.fd(), live(c.addr()).orElseThrow()));
      case SocketCall.ConnectBare c -> result(sockets.connectBare(c.fd(), c.family()));
      case SocketCall.SendTo t -> result(sockets.sendto(t.fd(), t.data(), t.nullBuffer(), t.flags(), live(t.to()),
          t.to().family()));
      case SocketCall.SendMsg m -> result(sockets.sendmsg(m.fd(), m.iovLengths(),
          m.name().flatMap(KernelCalls::live), m.control(), m.flags()));
      case SocketCall.Writev w -> result(sockets.writev(w.fd(), w.iovLengths()));
      case SocketCall.Write w when w.nullBuffer() ->
          result(sockets.writeFromNull(w.fd(), w.data().length, w.flags()));
      case SocketCall.Write w -> result(w.flags() == 0 ? sockets.write(w.fd(), w.data())
          : sockets.send(w.fd(), w.data(), w.flags()));
      case SocketCall.Read r when r.nullBuffer() -> result(sockets.readIntoNull(r.fd(), r.count(), r.flags()));
      case SocketCall.Read r -> result(r.flags() == 0 ? sockets.read(r.fd(), r.count())
          : sockets.recv(r.fd(), r.count(), r.flags()));
      case SocketCall.Readv r -> result(sockets.readv(r.fd(), r.iovLengths()));
      case SocketCall.RecvMsg m -> {
        SysResult<ReceivedMessage> r = sockets.recvmsg(m.fd(), m.iovLengths(), m.control(), m.msgFlags(), m.flags());
        yield r.succeeded()
            ? SysResult.ok(r.value(), new CallOutput.Message(r.out().orElseThrow().flags(), r.out().orElseThrow().control()))
            : result(r);
      }
      case SocketCall.Close c -> result(sockets.close(c.fd()));
      case SocketCall.Shutdown s -> result(sockets.shutdown(s.fd(), s.how()));
      case SocketCall.SetSockOpt s -> result(sockets.setsockopt(s.fd(), s.level(), s.name(), optionBytes(s.value()), s.optlen()));
      case SocketCall.GetSockOpt g -> {
        SysResult<byte[]> r = sockets.getsockopt(g.fd(), g.level(), g.name(), g.optlen());
        yield r.succeeded() ? SysResult.ok(r.value(), new CallOutput.Bytes(r.out().orElseThrow())) : result(r);
      }
      case SocketCall.Fcntl f -> result(sockets.fcntl(f.fd(), f.cmd(), (int) f.arg()));
      case SocketCall.Ioctl i -> {
        if (!i.intArgument()) yield result(sockets.ioctl(i.fd(), i.request()));
        SysResult<Integer> r = sockets.ioctlInt(i.fd(), i.request());
        yield r.succeeded() ? SysResult.ok(r.value(), ints(List.of(r.out().orElseThrow()))) : result(r);
      }
      case SocketCall.Poll p -> {
        SysResult<List<PollFd>> r = sockets.poll(
            p.fds().stream().map(x -> PollFd.of(x.fd(), x.events())).toList(), p.timeoutMillis());
        yield r.succeeded()
            ? SysResult.ok(r.value(), ints(r.out().orElseThrow().stream().map(PollFd::revents).toList()))
            : result(r);
      }
      case SocketCall.EpollCreate e -> result(sockets.epollCreate(e.size()));
      case SocketCall.EpollCtl e -> result(sockets.epollCtl(e.epfd(), e.op(), e.fd(), e.events(), e.data()));
      case SocketCall.EpollWait e -> {
        SysResult<EpollEvent> r = sockets.epollWait(e.epfd(), e.maxEvents(), e.timeoutMillis());
        yield r.succeeded()
            ? SysResult.ok(r.value(), new CallOutput.EpollEvent(r.out().orElseThrow().events(), r.out().orElseThrow().data()))
            : result(r);
      }
      case SocketCall.Open o -> result(sockets.open(o.path(), o.flags()));
      case SocketCall.Pipe p -> {
        SysResult<List<Integer>> r = sockets.pipe();
        yield r.succeeded() ? SysResult.ok(r.value(), ints(r.out().orElseThrow())) : result(r);
      }
      case SocketCall.SendFile f -> result(sockets.sendfile(f.outFd(), f.inFd(), f.offset(), f.count()));
      case SocketCall.Splice sp -> result(sockets.splice(sp.inFd(), sp.inOffset(), sp.outFd(), sp.outOffset(),
          sp.length(), sp.flags()));
    };
  }

  /**
   * The kernel's form of a script's socket address: a sockaddr_in for AF_INET, a sockaddr_in6 for
   * AF_INET6 (an IPv4 address in its mapped form, as under ipv4-mapped-ipv6); empty for a bare
   * family, which the calls pass as a zeroed sockaddr_storage.
   */
  static Optional<SockAddr> live(SocketCall.SockAddr a) {
    if (a.family() == Symbol.AF_INET.value()) return Optional.of(new SockAddrIn(a.addr().ipv4(), a.port()));
    if (a.family() == Symbol.AF_INET6.value()) return Optional.of(new SockAddrIn6(a.addr(), a.port()));
    return Optional.empty();
  }

  /**
   * The bytes a setsockopt passes: an int, a struct linger or timeval in host order, a string's
   * bytes. Written byte by byte: a ByteBuffer per call cost 25 to 50 us on the interpreter's thread
   * while still interpreted, between the call before and this one.
   */
  static byte[] optionBytes(SocketCall.OptValue v) {
    return switch (v) {
      case SocketCall.OptValue.IntValue i -> inHostOrder(new byte[4], 0, i.value(), Integer.BYTES);
      case SocketCall.OptValue.Linger l ->
          inHostOrder(inHostOrder(new byte[8], 0, l.onoff(), Integer.BYTES), 4, l.seconds(), Integer.BYTES);
      case SocketCall.OptValue.Timeval t ->
          inHostOrder(inHostOrder(new byte[16], 0, t.seconds(), Long.BYTES), 8, t.micros(), Long.BYTES);
      case SocketCall.OptValue.Text t -> t.bytes();
    };
  }

  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  /** Writes the low {@code size} bytes of {@code value} at {@code at} in the host's byte order. */
  private static byte[] inHostOrder(byte[] into, int at, long value, int size) {
    for (int i = 0; i < size; i++) {
      into[at + i] = (byte) (value >>> (8 * (LITTLE_ENDIAN ? i : size - 1 - i)));
    }
    return into;
  }

  private static CallOutput ints(List<Integer> values) {
    return new CallOutput.Ints(values.stream().map(Integer::longValue).toList());
  }

  /** The value and errno of a kernel call; what it wrote through pointers is not compared. */
  private static SysResult<CallOutput> result(SysResult<?> r) {
    return r.succeeded() ? SysResult.ok(r.value()) : SysResult.error(r.errno());
  }
}
