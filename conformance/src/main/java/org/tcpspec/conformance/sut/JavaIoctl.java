package org.tcpspec.conformance.sut;

import java.util.List;
import java.util.Set;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.run.CallOutput;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.conformance.run.UnsupportedFeature;
import org.tcpspec.socket.SocketApi;

/**
 * ioctl on the java stack: the requests of Linux's tcp_ioctl, which write an int ({@link
 * SocketApi#ioctl}: SIOCINQ/FIONREAD, SIOCOUTQ, SIOCOUTQNSD, SIOCATMARK). Any other request, and
 * the two-argument form, is unsupported on java: Linux passes them on to the file and device
 * layers (FIONBIO, SIOCGIFFLAGS, ...), which the stack does not have.
 */
final class JavaIoctl {
  private JavaIoctl() {}

  private static final Set<Integer> TCP_REQUESTS = Set.of(Symbol.SIOCINQ.value(), Symbol.SIOCOUTQ.value(),
      Symbol.SIOCOUTQNSD.value(), Symbol.SIOCATMARK.value());

  static SysResult<CallOutput> ioctl(SocketApi api, SocketCall.Ioctl call) {
    if (!TCP_REQUESTS.contains((int) call.request())) {
      throw new UnsupportedFeature("ioctl " + name(call.request()) + " on java");
    }
    if (!call.intArgument()) throw new UnsupportedFeature("ioctl " + name(call.request()) + " without its int on java");
    SysResult<Integer> r = api.ioctl(call.fd(), call.request());
    if (!r.succeeded()) return SysResult.error(r.errno());
    return SysResult.ok(r.value(), new CallOutput.Ints(List.of((long) r.out().orElseThrow())));
  }

  private static String name(long request) {
    for (Symbol s : Symbol.values()) {
      if (s.kind() == Symbol.Kind.IOCTL && s.value() == request) return s.name();
    }
    return "0x" + Long.toHexString(request);
  }
}
