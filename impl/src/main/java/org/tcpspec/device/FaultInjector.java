package org.tcpspec.device;

import java.io.IOException;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Loses, duplicates and reorders the packets transmitted through it, with a seeded random source so
 * that a run that failed can be replayed exactly. Received packets pass unchanged: to fault both
 * directions of an {@link InMemoryLink}, wrap both ends.
 *
 * <p>Every transmitted packet draws three numbers in a fixed order (loss, duplicate, reorder),
 * whatever happens to it, so the fate of the n-th packet depends only on the seed and n. A lost
 * packet is dropped. A reordered packet is held back and sent right after the next packet that goes
 * out, or when the owner goes idle, i.e. calls {@link #receive} with a timeout that may wait (one
 * packet is held at most; {@link #flush()} releases it, {@link #close()} discards it). Without the
 * idle release a packet held at the end of a flight waited for the sender's next transmission,
 * often its retransmission timeout, which is not reordering but loss. A duplicated packet goes out
 * twice, back to back.
 */
public final class FaultInjector implements PacketDevice {

  /**
   * Fault rates in percent (0..100) and the seed of the random source.
   *
   * @param lossPercent chance that a packet is dropped
   * @param duplicatePercent chance that a packet that survives goes out twice
   * @param reorderPercent chance that a packet that survives is held back behind the next one
   * @param seed seed of the random source
   */
  public record Faults(
      double lossPercent, double duplicatePercent, double reorderPercent, long seed) {
    public Faults {
      check("lossPercent", lossPercent);
      check("duplicatePercent", duplicatePercent);
      check("reorderPercent", reorderPercent);
    }

    private static void check(String name, double percent) {
      if (!(percent >= 0 && percent <= 100)) {
        throw new IllegalArgumentException(name + " out of 0..100: " + percent);
      }
    }

    /** No faults at all. */
    public static Faults none() {
      return new Faults(0, 0, 0, 0);
    }
  }

  /**
   * What happened so far.
   *
   * @param offered packets given to {@link #transmit}
   * @param lost packets dropped (including one held back when the device closed)
   * @param duplicated packets sent twice
   * @param reordered packets held back behind a later one
   * @param forwarded packets handed to the wrapped device, duplicates counted
   */
  public record Stats(long offered, long lost, long duplicated, long reordered, long forwarded) {}

  private final PacketDevice inner;
  private final Faults faults;
  private final SplittableRandom random;
  private byte[] held;
  private boolean heldDuplicated;
  private long offered;
  private long lost;
  private long duplicated;
  private long reordered;
  private long forwarded;

  public FaultInjector(PacketDevice inner, Faults faults) {
    this.inner = inner;
    this.faults = faults;
    this.random = new SplittableRandom(faults.seed());
  }

  @Override
  public Optional<byte[]> receive(long timeoutNanos) throws IOException {
    if (timeoutNanos != 0) flush();
    return inner.receive(timeoutNanos);
  }

  @Override
  public synchronized void transmit(byte[] packet) throws IOException {
    offered++;
    boolean lose = random.nextDouble() * 100 < faults.lossPercent();
    boolean duplicate = random.nextDouble() * 100 < faults.duplicatePercent();
    boolean reorder = random.nextDouble() * 100 < faults.reorderPercent();
    if (lose) {
      lost++;
      return;
    }
    if (duplicate) duplicated++;
    if (reorder && held == null) {
      reordered++;
      held = packet.clone();
      heldDuplicated = duplicate;
      return;
    }
    send(packet, duplicate);
    flush();
  }

  /** Sends the packet held back for reordering, if any. */
  public synchronized void flush() throws IOException {
    if (held == null) return;
    byte[] p = held;
    held = null;
    send(p, heldDuplicated);
  }

  private void send(byte[] packet, boolean twice) throws IOException {
    inner.transmit(packet);
    forwarded++;
    if (twice) {
      inner.transmit(packet);
      forwarded++;
    }
  }

  public synchronized Stats stats() {
    return new Stats(offered, lost, duplicated, reordered, forwarded);
  }

  public Faults faults() {
    return faults;
  }

  @Override
  public int mtu() {
    return inner.mtu();
  }

  /** Discards a held-back packet (counted as lost) and closes the wrapped device. */
  @Override
  public synchronized void close() {
    if (held != null) {
      held = null;
      lost++;
    }
    inner.close();
  }
}
