/**
 * Linux primitives through the Java 25 FFM API (no JNI, no native code of our own): network
 * namespaces ({@link org.tcpspec.device.linux.Netns}), the TUN device ({@link
 * org.tcpspec.device.linux.TunDevice}, plain or with the virtio-net header and TSO offloads of
 * {@link org.tcpspec.device.linux.TunOffloads}), interface configuration by netdevice(7) ioctls,
 * and the libc downcalls that report errno exactly as C sees it ({@link
 * org.tcpspec.abi.SysResult}, {@link org.tcpspec.abi.Errno}), one class per concern: {@link
 * org.tcpspec.device.linux.LibcFiles}, {@link org.tcpspec.device.linux.LibcPoll}, {@link
 * org.tcpspec.device.linux.LibcSockets}, {@link org.tcpspec.device.linux.LibcNamespaces}, {@link
 * org.tcpspec.device.linux.LibcClock}.
 *
 * <p>Confinement: everything that creates a device or a socket runs inside a {@link
 * org.tcpspec.device.linux.Netns} through {@link org.tcpspec.device.linux.Netns#call}, on a
 * platform thread that joined the namespace with setns(2). Network namespaces are per thread; a
 * descriptor keeps the namespace it was created in, so after creation it is used from any thread.
 * Addresses are configured only inside such namespaces; nothing here touches the host's.
 *
 * <p>Typical use (the packetdrill topology: kernel side 192.168.0.1, remote side 192.0.2.1):
 *
 * <pre>{@code
 * try (Netns ns = Netns.create("sut");
 *     TunDevice tun = TunDevice.open(ns, TunConfig.packetdrill())) {
 *   int fd = ns.call(() -> LibcSockets.socket(2, 1, 0).intValue()); // AF_INET, SOCK_STREAM
 *   Optional<byte[]> syn = tun.receive(1_000_000_000L);
 * }
 * }</pre>
 *
 * <p>This package knows system calls and byte buffers; it must not know TCP segments or states.
 * Linux only (x86-64 and arm64 layouts), root required.
 */
package org.tcpspec.device.linux;
