package org.tcpspec.runtime;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.SplittableRandom;
import org.tcpspec.device.FaultInjector;
import org.tcpspec.device.PacketDevice;

/**
 * Loses, duplicates and reorders the packets the stack receives, for machines whose kernel has no
 * netem: the kernel-to-stack half of what {@link FaultInjector} does for transmitted packets,
 * with the same rates and draw order (loss, duplicate, reorder per packet). A reordered packet is
 * delivered right after the next one, or on its own once a receive finds nothing else waiting,
 * so it is late but never stuck.
 */
final class ReceiveFaults implements PacketDevice {
  private final PacketDevice inner;
  private final FaultInjector.Faults faults;
  private final SplittableRandom random;
  private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
  private byte[] held;
  private long lost;

  ReceiveFaults(PacketDevice inner, FaultInjector.Faults faults) {
    this.inner = inner;
    this.faults = faults;
    this.random = new SplittableRandom(faults.seed());
  }

  @Override
  public synchronized Optional<byte[]> receive(long timeoutNanos) throws IOException {
    while (ready.isEmpty()) {
      Optional<byte[]> next = inner.receive(held == null ? timeoutNanos : 0);
      if (next.isEmpty()) {
        if (held == null) return Optional.empty();
        ready.add(held);
        held = null;
        break;
      }
      boolean lose = random.nextDouble() * 100 < faults.lossPercent();
      boolean duplicate = random.nextDouble() * 100 < faults.duplicatePercent();
      boolean reorder = random.nextDouble() * 100 < faults.reorderPercent();
      if (lose) {
        lost++;
        continue;
      }
      byte[] packet = next.get();
      if (reorder && held == null) {
        held = packet;
        if (duplicate) ready.add(packet);
        continue;
      }
      ready.add(packet);
      if (duplicate) ready.add(packet);
      if (held != null) {
        ready.add(held);
        held = null;
      }
    }
    return Optional.of(ready.poll());
  }

  synchronized long lost() {
    return lost;
  }

  @Override
  public void transmit(byte[] packet) throws IOException {
    inner.transmit(packet);
  }

  @Override
  public int mtu() {
    return inner.mtu();
  }

  @Override
  public void close() {
    inner.close();
  }
}
