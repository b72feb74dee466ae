/**
 * The network device seam of the stack: {@link org.tcpspec.device.PacketDevice} receives and
 * transmits whole IPv4 packets as byte arrays, and knows nothing of TCP. Implementations: the Linux
 * TUN device ({@code org.tcpspec.device.linux.TunDevice}) and {@link
 * org.tcpspec.device.InMemoryLink} (two ends joined by queues, for tests and virtual-time runs).
 * Decorators wrap any device: {@link org.tcpspec.device.PcapCapture} writes every packet both ways
 * to a pcap file (raw IPv4 link type, readable by tcpdump and Wireshark) and {@link
 * org.tcpspec.device.FaultInjector} loses, duplicates and reorders transmitted packets with a
 * seeded random source so a failing run can be replayed; {@link org.tcpspec.device.ReceiveFaults}
 * does the same to received packets.
 *
 * <p>{@link org.tcpspec.device.NativePacketDevice} is the allocation-free side of a device: packets
 * through native buffers, and TCP super-packets both ways when the device segments (the TUN device
 * with the virtio-net header); {@link org.tcpspec.device.InMemoryNativeLink} is a TUN-shaped pair of
 * them in memory, for tests.
 *
 * <p>Decorators compose: {@code PcapCapture.open(new FaultInjector(link.a(), faults), file, clock)}
 * records what the stack sent before the faults; {@code new
 * FaultInjector(PcapCapture.open(link.a(), file, clock), faults)} records what survived them.
 *
 * <p>Sub-package {@code linux} holds the Linux primitives behind the TUN device: network
 * namespaces, interface ioctls, libc downcalls with errno.
 *
 * <p>This package must not import wire, fsm, tcb or stack: bytes in, bytes out. Its only
 * dependencies are {@code org.tcpspec.time} (pcap timestamps) and Pcap4J (pcap files).
 */
package org.tcpspec.device;
