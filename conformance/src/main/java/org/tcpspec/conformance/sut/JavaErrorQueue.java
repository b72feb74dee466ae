package org.tcpspec.conformance.sut;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.run.CallOutput;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.conformance.run.UnsupportedFeature;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.TxTimestamps;

/**
 * The socket error queue of the java stack as recvmsg(MSG_ERRQUEUE) reads it (Linux
 * ip_recv_error, ipv6_recv_error): SO_TIMESTAMPING's transmit timestamps first ({@link
 * TxTimestamps}), then MSG_ZEROCOPY completions. A timestamp comes as Linux's
 * __sock_recv_timestamp and __skb_complete_tx_timestamp make it: struct scm_timestamping at
 * SOL_SOCKET, SCM_TIMESTAMPING (its software stamp when the socket's flags have
 * SOF_TIMESTAMPING_SOFTWARE, else no such message), then the sock_extended_err of origin
 * SO_EE_ORIGIN_TIMESTAMPING, errno ENOMSG, ee_info the SCM_TSTAMP_* kind, ee_data the id, and a
 * zero offender address (SOF_TIMESTAMPING_OPT_CMSG is not modelled). A zerocopy completion is
 * the range of send ids done, SO_EE_CODE_ZEROCOPY_COPIED. The error message is IP_RECVERR at SOL_IP
 * with a sockaddr_in on AF_INET sockets, IPV6_RECVERR at SOL_IPV6 with a sockaddr_in6 on AF_INET6
 * ones. Control messages are written into the caller's buffer as put_cmsg writes them: one that
 * does not fit is cut at the buffer's end and the message says MSG_CTRUNC.
 *
 * <p>The stack stamps virtual time; a stamp's CLOCK_REALTIME is the run's realtime origin plus
 * the virtual clock's reading ({@link JavaSut#microsOfRealtime} maps it back).
 */
final class JavaErrorQueue {
  private JavaErrorQueue() {}

  private static final int CMSG_HEADER = 16;
  private static final int SOCK_EXTENDED_ERR = 16;
  private static final int SOCKADDR_IN = 16;
  private static final int SOCKADDR_IN6 = 28;
  /** struct scm_timestamping: three struct timespec of two 64-bit longs. */
  private static final int SCM_TIMESTAMPING = 48;

  /** SO_TIMESTAMPING flags the java stack does not model: receive timestamps, OPT_CMSG, OPT_STATS, PHCs. */
  private static final int NOT_MODELLED = Symbol.SOF_TIMESTAMPING_RX_HARDWARE.value()
      | Symbol.SOF_TIMESTAMPING_RX_SOFTWARE.value() | Symbol.SOF_TIMESTAMPING_OPT_CMSG.value()
      | Symbol.SOF_TIMESTAMPING_OPT_STATS.value() | Symbol.SOF_TIMESTAMPING_OPT_PKTINFO.value()
      | Symbol.SOF_TIMESTAMPING_BIND_PHC.value() | 1 << 17 | 1 << 18; // OPT_RX_FILTER, TX_COMPLETION

  /** Whether {@code call} sets SO_TIMESTAMPING from an int. */
  static boolean setsTimestamping(SocketCall.SetSockOpt call) {
    return call.level() == Symbol.SOL_SOCKET.value() && call.name() == Symbol.SO_TIMESTAMPING.value()
        && call.value() instanceof SocketCall.OptValue.IntValue;
  }

  /**
   * setsockopt(SO_TIMESTAMPING): the stack's answer; flags it takes but does not model make the
   * script unsupported (an EINVAL for them is still Linux's answer).
   */
  static SysResult<CallOutput> setTimestamping(SocketApi api, SocketCall.SetSockOpt call) {
    int flags = ((SocketCall.OptValue.IntValue) call.value()).value();
    SysResult<Void> r = api.setsockopt(call.fd(), Symbol.SO_TIMESTAMPING, flags);
    if (!r.succeeded()) return SysResult.error(r.errno());
    if ((flags & NOT_MODELLED) != 0) {
      throw new UnsupportedFeature("SO_TIMESTAMPING flags 0x" + Integer.toHexString(flags & NOT_MODELLED) + " on java");
    }
    return SysResult.ok(0);
  }

  /** recvmsg(fd, ..., MSG_ERRQUEUE): the oldest entry, or EAGAIN when the queue is empty. */
  static SysResult<CallOutput> recv(SocketApi api, SocketCall.RecvMsg m, boolean ipv6Socket, long realtimeOriginMicros) {
    SysResult<TxTimestamps.Stamp> stamp = api.readTxTimestamp(m.fd());
    if (stamp.succeeded()) return timestamp(api, m, stamp.out().orElseThrow(), ipv6Socket, realtimeOriginMicros);
    if (stamp.errno() != Errno.EAGAIN) return SysResult.error(stamp.errno());
    SysResult<int[]> n = api.readZerocopyNotification(m.fd());
    if (!n.succeeded()) return SysResult.error(n.errno());
    int[] ids = n.out().orElseThrow();
    Control control = new Control(m.control().length);
    error(control, ipv6Socket, Symbol.SO_EE_ORIGIN_ZEROCOPY, Symbol.SO_EE_CODE_ZEROCOPY_COPIED.value(), 0, ids[0], ids[1]);
    return SysResult.ok(0, new CallOutput.Message(Symbol.MSG_ERRQUEUE.value() | control.flags, control.bytes()));
  }

  /**
   * A transmit timestamp. Without SOF_TIMESTAMPING_OPT_TSONLY Linux loops back a clone of the
   * stamped skb, which the iovecs read and cut (MSG_TRUNC); its length depends on Linux's skb
   * boundaries, so a read of more than 0 bytes of it is unsupported here.
   */
  private static SysResult<CallOutput> timestamp(SocketApi api, SocketCall.RecvMsg m, TxTimestamps.Stamp stamp,
      boolean ipv6Socket, long realtimeOriginMicros) {
    int iov = m.iovLengths().stream().mapToInt(Integer::intValue).sum();
    if (!stamp.timestampOnly() && iov > 0) {
      throw new UnsupportedFeature("reading the packet a transmit timestamp loops back (no SOF_TIMESTAMPING_OPT_TSONLY) on java");
    }
    int flags = Symbol.MSG_ERRQUEUE.value() | (stamp.timestampOnly() ? 0 : Symbol.MSG_TRUNC.value());
    Control control = new Control(m.control().length);
    int tsflags = api.getsockopt(m.fd(), Symbol.SO_TIMESTAMPING).out().orElse(0);
    if ((tsflags & Symbol.SOF_TIMESTAMPING_SOFTWARE.value()) != 0) {
      long realtimeNanos = realtimeOriginMicros * 1000 + stamp.nanos();
      ByteBuffer ts = le(SCM_TIMESTAMPING).putLong(realtimeNanos / 1_000_000_000L).putLong(realtimeNanos % 1_000_000_000L);
      control.put(Symbol.SOL_SOCKET.value(), Symbol.SCM_TIMESTAMPING.value(), ts.array());
    }
    error(control, ipv6Socket, Symbol.SO_EE_ORIGIN_TIMESTAMPING, 0, Errno.ENOMSG.number(), stamp.kind().value(), stamp.id());
    return SysResult.ok(0, new CallOutput.Message(flags | control.flags, control.bytes()));
  }

  /** struct sock_extended_err and a zero offender address, as IP_RECVERR or IPV6_RECVERR. */
  private static void error(Control control, boolean ipv6Socket, Symbol origin, int code, int errno, int info, int data) {
    ByteBuffer err = le(SOCK_EXTENDED_ERR + (ipv6Socket ? SOCKADDR_IN6 : SOCKADDR_IN))
        .putInt(errno).put((byte) origin.value()).put((byte) 0).put((byte) code).put((byte) 0).putInt(info).putInt(data);
    if (ipv6Socket) control.put(Symbol.SOL_IPV6.value(), Symbol.IPV6_RECVERR.value(), err.array());
    else control.put(Symbol.SOL_IP.value(), Symbol.IP_RECVERR.value(), err.array());
  }

  private static ByteBuffer le(int length) {
    return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * The caller's control buffer of msg_controllen bytes, filled as Linux's put_cmsg fills it: each
   * message takes CMSG_SPACE of its data (8-byte cmsg_len, level, type, data padded to 8), one that
   * does not fit is cut at the end with MSG_CTRUNC, none is written into less than a header.
   */
  private static final class Control {
    private final ByteBuffer buf;
    int flags;

    Control(int controllen) {
      buf = le(Math.max(0, controllen));
    }

    void put(int level, int type, byte[] data) {
      if (buf.remaining() < CMSG_HEADER) {
        flags |= Symbol.MSG_CTRUNC.value();
        return;
      }
      int cmlen = CMSG_HEADER + data.length;
      if (buf.remaining() < cmlen) {
        flags |= Symbol.MSG_CTRUNC.value();
        cmlen = buf.remaining();
      }
      int start = buf.position();
      buf.putLong(cmlen).putInt(level).putInt(type).put(data, 0, cmlen - CMSG_HEADER);
      int space = CMSG_HEADER + ((data.length + 7) & ~7);
      buf.position(start + Math.min(space, buf.capacity() - start));
    }

    /** The first msg_controllen bytes after the call: what was written. */
    byte[] bytes() {
      return java.util.Arrays.copyOf(buf.array(), buf.position());
    }
  }
}
