package org.tcpspec.stack;

import org.tcpspec.wire.SegmentView;

/**
 * Connections by four-tuple, found from the addresses and ports of a segment without building a key
 * object: the demultiplexing step of every segment (issue #4: nothing allocated per segment,
 * whichever connection it belongs to). Open addressing with linear probing and backward-shift
 * deletion, kept at most half full; it grows (allocating) only when connections are added.
 */
final class ConnectionIndex {
  private Connection[] slots = new Connection[16];
  private int size;

  /** The connection of a segment's tuple (its destination is our end), or null. */
  Connection get(SegmentView seg) {
    return get(seg.dstAddrHigh(), seg.dstAddrLow(), seg.dstPort(), seg.srcAddrHigh(), seg.srcAddrLow(), seg.srcPort());
  }

  Connection get(long localHigh, long localLow, int localPort, long remoteHigh, long remoteLow, int remotePort) {
    int mask = slots.length - 1;
    for (int i = hash(localHigh, localLow, localPort, remoteHigh, remoteLow, remotePort) & mask; ;
        i = (i + 1) & mask) {
      Connection c = slots[i];
      if (c == null || c.tuple.matches(localHigh, localLow, localPort, remoteHigh, remoteLow, remotePort)) return c;
    }
  }

  /** Adds {@code c} under its tuple; the caller has checked the tuple is free. */
  void put(Connection c) {
    if (2 * (size + 1) > slots.length) grow();
    insert(slots, c);
    size++;
  }

  /** Removes {@code c} if it is the connection under its tuple. */
  void remove(Connection c) {
    int mask = slots.length - 1;
    int i = slotOf(c.tuple) & mask;
    while (slots[i] != null && slots[i] != c) i = (i + 1) & mask;
    if (slots[i] == null) return;
    slots[i] = null;
    size--;
    // Backward shift: move later members of the probe run into the hole when their home allows.
    for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
      int home = slotOf(slots[j].tuple) & mask;
      if (((j - home) & mask) >= ((j - i) & mask)) {
        slots[i] = slots[j];
        slots[j] = null;
        i = j;
      }
    }
  }

  private void grow() {
    Connection[] next = new Connection[2 * slots.length];
    for (Connection c : slots) if (c != null) insert(next, c);
    slots = next;
  }

  private static void insert(Connection[] table, Connection c) {
    int mask = table.length - 1;
    int i = slotOf(c.tuple) & mask;
    while (table[i] != null) i = (i + 1) & mask;
    table[i] = c;
  }

  private static int slotOf(FourTuple t) {
    return hash(t.localAddr().high(), t.localAddr().low(), t.localPort(), t.remoteAddr().high(), t.remoteAddr().low(),
        t.remotePort());
  }

  private static int hash(long localHigh, long localLow, int localPort, long remoteHigh, long remoteLow,
      int remotePort) {
    int h = ((FourTuple.hash(localHigh, localLow) * 31 + localPort) * 31 + FourTuple.hash(remoteHigh, remoteLow)) * 31
        + remotePort;
    h *= 0x9E3779B9; // Fibonacci hashing: spread the ports' low bits over the high ones
    return h ^ (h >>> 16);
  }
}
