package org.tcpspec.conformance.sut;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.run.CallOutput;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.conformance.run.UnsupportedFeature;
import org.tcpspec.socket.SocketApi;

/**
 * The script's system calls on the java stack: each {@link SocketCall} as the stack's {@link
 * SocketApi} answers it, in the runner's terms (a value and errno, and what the call writes out:
 * option bytes, poll's revents, control messages). A call the stack lacks, or an option Linux has
 * and the stack does not, is {@link UnsupportedFeature}, not a failure. Whether a call waits is
 * {@link JavaSut}'s business: here a call answers at once.
 */
final class JavaCalls {
  private final SocketApi api;
  /** Whether sockets are AF_INET6 (error queue messages carry IPv6 levels then). */
  private final boolean inet6;
  /** CLOCK_REALTIME of virtual time 0, in microseconds (SO_TIMESTAMPING's timestamps). */
  private final long realtimeOriginMicros;

  JavaCalls(SocketApi api, boolean inet6, long realtimeOriginMicros) {
    this.api = api;
    this.inet6 = inet6;
    this.realtimeOriginMicros = realtimeOriginMicros;
  }

  /**
   * The call's result now; null when a poll or epoll_wait with a timeout other than 0 finds
   * nothing ready and so waits. EAGAIN on a blocking socket means the call waits too ({@link
   * #blocking}).
   */
  SysResult<CallOutput> result(SocketCall call) {
    return switch (call) {
      case SocketCall.Socket s -> {
        int fd = api.socket();
        if ((s.type() & Symbol.SOCK_NONBLOCK.value()) != 0) api.setNonBlocking(fd, true);
        yield SysResult.ok(fd);
      }
      case SocketCall.Bind b ->
          plain(api.bind(b.fd(), b.addr().addr(), b.addr().port()));
      case SocketCall.Listen l -> plain(api.listen(l.fd(), l.backlog()));
      case SocketCall.Accept a -> plain(api.accept(a.fd()));
      case SocketCall.Connect c ->
          plain(api.connect(c.fd(), c.addr().addr(), c.addr().port()));
      // A NULL buffer is a bad address to the socket layer, as to Linux's copy from user space.
      case SocketCall.Write w when w.nullBuffer() -> SysResult.error(Errno.EFAULT);
      // Linux __inet_stream_connect: AF_UNSPEC disconnects (tcp_disconnect).
      case SocketCall.ConnectBare c when c.family() == Symbol.AF_UNSPEC.value() -> plain(api.disconnect(c.fd()));
      case SocketCall.ConnectBare c -> throw new UnsupportedFeature("connect to the bare address family " + c.family() + " on java");
      case SocketCall.Write w -> plain(api.send(w.fd(), w.data(), w.flags()));
      case SocketCall.Read r when r.nullBuffer() -> SysResult.error(Errno.EFAULT);
      case SocketCall.Read r -> plain(api.recv(r.fd(), r.count(), r.flags()));
      case SocketCall.Close c -> plain(api.close(c.fd()));
      case SocketCall.Shutdown sh -> plain(api.shutdown(sh.fd(), sh.how()));
      case SocketCall.SetSockOpt so when JavaErrorQueue.setsTimestamping(so) -> JavaErrorQueue.setTimestamping(api, so);
      case SocketCall.SetSockOpt so -> switch (so.value()) {
        case SocketCall.OptValue.IntValue v -> Symbol.option(so.level(), so.name())
            .map(o -> modelled(o, plain(api.setsockopt(so.fd(), o, v.value()))))
            .orElse(SysResult.error(Errno.ENOPROTOOPT));
        case SocketCall.OptValue.Linger l -> plain(api.setLinger(so.fd(), l.onoff() != 0, l.seconds()));
        case SocketCall.OptValue.Text t when so.level() == Symbol.SOL_TCP.value()
            && so.name() == Symbol.TCP_FASTOPEN_KEY.value() -> plain(api.setFastOpenKey(so.fd(), t.bytes()));
        case SocketCall.OptValue.Text t -> Symbol.option(so.level(), so.name())
            .map(o -> modelled(o, SysResult.<CallOutput>error(Errno.ENOPROTOOPT)))
            .orElse(SysResult.error(Errno.ENOPROTOOPT));
        case SocketCall.OptValue.Timeval t -> Symbol.option(so.level(), so.name())
            .map(o -> modelled(o, SysResult.<CallOutput>error(Errno.ENOPROTOOPT)))
            .orElse(SysResult.error(Errno.ENOPROTOOPT));
      };
      case SocketCall.GetSockOpt g when g.level() == Symbol.SOL_TCP.value() && g.name() == Symbol.TCP_INFO.value() ->
          api.tcpInfo(g.fd())
              .map(i -> SysResult.ok(0, (CallOutput) new CallOutput.Bytes(
                  java.util.Arrays.copyOf(i.encode(), Math.min(Math.max(g.optlen(), 0), i.length())))))
              .orElse(SysResult.error(Errno.EBADF));
      case SocketCall.GetSockOpt g when g.level() == Symbol.SOL_TCP.value() && g.name() == Symbol.TCP_FASTOPEN_KEY.value() -> {
        SysResult<byte[]> r = api.getFastOpenKey(g.fd(), g.optlen());
        yield r.succeeded() ? SysResult.ok(0, (CallOutput) new CallOutput.Bytes(r.out().orElseThrow()))
            : SysResult.<CallOutput>error(r.errno());
      }
      case SocketCall.GetSockOpt g -> Symbol.option(g.level(), g.name())
          .map(o -> {
            SysResult<Integer> r = api.getsockopt(g.fd(), o);
            return modelled(o, r.succeeded()
                ? SysResult.ok(r.value(), (CallOutput) new CallOutput.Bytes(
                    ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(r.out().orElseThrow()).array()))
                : SysResult.<CallOutput>error(r.errno()));
          })
          .orElse(SysResult.error(Errno.ENOPROTOOPT));
      case SocketCall.Fcntl f -> fcntl(f);
      case SocketCall.Poll p -> {
        List<Long> revents = p.fds().stream().map(x -> (long) api.poll(x.fd(), x.events())).toList();
        long ready = revents.stream().filter(x -> x != 0).count();
        if (ready == 0 && p.timeoutMillis() != 0) yield null; // poll waits for an event
        yield SysResult.ok(ready, new CallOutput.Ints(revents));
      }
      case SocketCall.SendTo t when t.nullBuffer() -> SysResult.error(Errno.EFAULT);
      // Linux tcp_sendmsg_fastopen: an AF_UNSPEC address is EOPNOTSUPP.
      case SocketCall.SendTo t when (t.flags() & Symbol.MSG_FASTOPEN.value()) != 0 ->
          t.to().family() == Symbol.AF_UNSPEC.value() ? SysResult.error(Errno.EOPNOTSUPP)
              : plain(api.sendFastOpen(t.fd(), t.to().addr(), t.to().port(), t.data(), t.flags()));
      case SocketCall.SendTo t -> plain(api.send(t.fd(), t.data(), t.flags()));
      case SocketCall.SendMsg m -> sendmsg(m);
      case SocketCall.Writev w -> throw new UnsupportedFeature("writev on java");
      case SocketCall.Readv r -> throw new UnsupportedFeature("readv on java");
      case SocketCall.RecvMsg m -> recvmsg(m);
      case SocketCall.Ioctl i -> JavaIoctl.ioctl(api, i);
      case SocketCall.EpollCreate e -> plain(api.epollCreate(e.size()));
      case SocketCall.EpollCtl e -> epollCtl(e);
      case SocketCall.EpollWait e -> epollWait(e);
      case SocketCall.Open o -> throw new UnsupportedFeature("open on java (no files)");
      case SocketCall.Pipe p -> throw new UnsupportedFeature("pipe on java");
      case SocketCall.SendFile f -> throw new UnsupportedFeature("sendfile on java");
      case SocketCall.Splice sp -> throw new UnsupportedFeature("splice on java");
    };
  }

  /**
   * Whether the call is made on a blocking socket, where EAGAIN means the call waits: the socket
   * API answers EAGAIN on a blocking socket too when a call cannot complete yet ({@link SocketApi}).
   */
  boolean blocking(SocketCall call) {
    return switch (call) {
      case SocketCall.Accept a -> !api.nonBlocking(a.fd());
      case SocketCall.Connect c -> !api.nonBlocking(c.fd());
      case SocketCall.Write w -> !api.nonBlocking(w.fd());
      case SocketCall.SendMsg m -> !api.nonBlocking(m.fd()) && (m.flags() & Symbol.MSG_DONTWAIT.value()) == 0;
      case SocketCall.SendTo t -> !api.nonBlocking(t.fd()) && (t.flags() & Symbol.MSG_DONTWAIT.value()) == 0;
      // recv(MSG_OOB) never blocks (Linux tcp_recv_urg).
      case SocketCall.Read r -> !api.nonBlocking(r.fd()) && (r.flags() & Symbol.MSG_OOB.value()) == 0;
      case SocketCall.RecvMsg m -> (m.flags() & Symbol.MSG_ERRQUEUE.value()) == 0 && !api.nonBlocking(m.fd());
      default -> false;
    };
  }

  /** epoll_ctl on the stack's epoll; an epoll instance inside another is not modelled. */
  private SysResult<CallOutput> epollCtl(SocketCall.EpollCtl e) {
    if (api.isEpoll(e.fd())) throw new UnsupportedFeature("an epoll instance in an epoll instance on java");
    return plain(api.epollCtl(e.epfd(), e.op(), e.fd(), e.events(), e.data()));
  }

  /**
   * epoll_wait: the events ready now, the first one as packetdrill compares it; with none and a
   * timeout other than 0 the call waits (null), as poll does, and is retried after every step.
   */
  private SysResult<CallOutput> epollWait(SocketCall.EpollWait e) {
    SysResult<long[]> r = api.epollWait(e.epfd(), e.maxEvents());
    if (!r.succeeded()) return SysResult.error(r.errno());
    if (r.value() == 0 && e.timeoutMillis() != 0) return null;
    long[] first = r.out().orElseThrow();
    return SysResult.ok(r.value(), new CallOutput.EpollEvent((int) first[0], first[1]));
  }

  /** fcntl F_GETFL and F_SETFL with O_NONBLOCK, the only file status flag a socket here has. */
  private SysResult<CallOutput> fcntl(SocketCall.Fcntl f) {
    if (f.cmd() == Symbol.F_SETFL.value()) {
      return plain(api.setNonBlocking(f.fd(), (f.arg() & Symbol.O_NONBLOCK.value()) != 0));
    }
    if (f.cmd() == Symbol.F_GETFL.value()) {
      return SysResult.ok(Symbol.O_RDWR.value() | (api.nonBlocking(f.fd()) ? Symbol.O_NONBLOCK.value() : 0));
    }
    return SysResult.error(Errno.EINVAL);
  }

  /**
   * The result of an option call, unless the stack answered ENOPROTOOPT for an option Linux has:
   * then the stack lacks the option, and the script is unsupported on java rather than failed.
   */
  private static SysResult<CallOutput> modelled(Symbol option, SysResult<CallOutput> r) {
    if (r.errno() == Errno.ENOPROTOOPT) throw new UnsupportedFeature("socket option " + option + " on java");
    return r;
  }

  /**
   * recvmsg: from the error queue (MSG_ERRQUEUE) a transmit timestamp or a MSG_ZEROCOPY completion
   * ({@link JavaErrorQueue}), else a read of the iovecs' total with TCP_INQ's TCP_CM_INQ message
   * when the option is on. Control messages as the kernel lays them out: an 8-byte cmsg_len,
   * level, type, data padded to 8 (CMSG_SPACE).
   */
  private SysResult<CallOutput> recvmsg(SocketCall.RecvMsg m) {
    if ((m.flags() & Symbol.MSG_ERRQUEUE.value()) != 0) {
      return JavaErrorQueue.recv(api, m, inet6, realtimeOriginMicros);
    }
    int total = m.iovLengths().stream().mapToInt(Integer::intValue).sum();
    SysResult<byte[]> r = api.read(m.fd(), total);
    if (!r.succeeded()) return SysResult.error(r.errno());
    byte[] control = api.inqHint(m.fd())
        .map(left -> cmsg(Symbol.SOL_TCP.value(), Symbol.TCP_CM_INQ.value(),
            ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(left).array()))
        .orElse(new byte[0]);
    return SysResult.ok(r.value(), new CallOutput.Message(0, control));
  }

  /**
   * sendmsg: the iovecs' bytes as one send with its flags. Control messages are not modelled, nor
   * the page fragments a MSG_ZEROCOPY send pins (Linux starts a new skb, and a PSH, after
   * MAX_SKB_FRAGS of them).
   */
  private SysResult<CallOutput> sendmsg(SocketCall.SendMsg m) {
    if (m.control().length > 0) throw new UnsupportedFeature("sendmsg control messages on java");
    if ((m.flags() & Symbol.MSG_ZEROCOPY.value()) != 0 && m.iovLengths().size() > MAX_SKB_FRAGS) {
      throw new UnsupportedFeature("MSG_ZEROCOPY's page fragments (more than MAX_SKB_FRAGS iovecs) on java");
    }
    int total = m.iovLengths().stream().mapToInt(Integer::intValue).sum();
    if ((m.flags() & Symbol.MSG_FASTOPEN.value()) != 0 && m.name().isPresent()) {
      SocketCall.SockAddr to = m.name().get();
      return plain(api.sendFastOpen(m.fd(), to.addr(), to.port(), new byte[total], m.flags()));
    }
    return plain(api.send(m.fd(), new byte[total], m.flags()));
  }

  /** Linux's MAX_SKB_FRAGS with 4 KB pages. */
  private static final int MAX_SKB_FRAGS = 17;

  private static final int CMSG_HEADER = 16;

  private static byte[] cmsg(int level, int type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(CMSG_HEADER + ((data.length + 7) & ~7)).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(CMSG_HEADER + data.length).putInt(level).putInt(type).put(data);
    return b.array();
  }

  /** A socket API result as the runner sees it: the value and errno, nothing written out. */
  private static SysResult<CallOutput> plain(SysResult<?> r) {
    return r.succeeded() ? SysResult.ok(r.value()) : SysResult.error(r.errno());
  }
}
