package org.tcpspec.device;

import java.io.IOException;
import java.util.Optional;

/**
 * A network device that carries whole IPv4 packets: the only thing the stack's event loop needs
 * from the outside world. A packet is a byte array holding exactly one IPv4 datagram, header
 * included; devices neither parse nor validate it.
 *
 * <p>Threading: one thread receives and any thread transmits; {@link #close()} may be called from
 * any thread and wakes a receiver that is waiting.
 */
public interface PacketDevice extends AutoCloseable {

  /**
   * The next packet that arrived, waiting at most {@code timeoutNanos} for one (0 = just look).
   *
   * @return the packet, or empty when none arrived in time
   * @throws java.nio.channels.ClosedChannelException when the device is closed, also while waiting
   * @throws java.io.InterruptedIOException when the waiting thread is interrupted
   */
  Optional<byte[]> receive(long timeoutNanos) throws IOException;

  /**
   * Sends one packet. The device keeps no reference to {@code packet}.
   *
   * @throws java.nio.channels.ClosedChannelException when the device is closed
   */
  void transmit(byte[] packet) throws IOException;

  /** The largest packet this device carries, in bytes (the IP MTU). */
  int mtu();

  /** Releases the device; idempotent. */
  @Override
  void close();
}
