package org.tcpspec.device;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Loses, duplicates and reorders the packets received through it, for machines whose kernel has
 * no netem: the receive-side twin of {@link FaultInjector}, with the same rates, seed and draw
 * order (loss, duplicate, reorder per packet), so that a peer's data can be faulted as our own
 * transmissions are. A reordered packet is delivered right after the next one, or on its own
 * once a receive finds nothing else waiting, so it is late but never stuck. Transmitted packets
 * pass unchanged.
 */
public final class ReceiveFaults implements PacketDevice {
  private final PacketDevice inner;
  private final FaultInjector.Faults faults;
  private final SplittableRandom random;
  private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
  private byte[] held;
  private long lost;

  public ReceiveFaults(PacketDevice inner, FaultInjector.Faults faults) {
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

  /** Packets dropped so far. */
  public synchronized long lost() {
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
