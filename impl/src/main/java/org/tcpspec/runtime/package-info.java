/**
 * The runtime that drives the sans-IO stack on a real device: {@link
 * org.tcpspec.runtime.EventLoop}, a duty-cycle loop on one platform thread (drain the device,
 * parse, feed the stack, run due timers on the system clock, emit and transmit), and {@link
 * org.tcpspec.runtime.BlockingSockets}, blocking calls over the non-blocking {@link
 * org.tcpspec.socket.SocketApi} for application code on virtual threads, with {@link
 * org.tcpspec.runtime.SocketStreams} as their {@code java.io} streams. The stack and the socket
 * table are touched only under the loop's lock. On a {@link org.tcpspec.device.NativePacketDevice}
 * the loop's data path allocates nothing per packet and moves TCP super-packets; {@link
 * org.tcpspec.runtime.SoftwareSegmentation} shows an offloading TUN device as MTU-sized packets to
 * decorators. It is the stack's only runtime: tests that want
 * blocking sockets run two loops over an {@link org.tcpspec.device.InMemoryLink}. Must not know
 * applications or HTTP.
 */
package org.tcpspec.runtime;
