package org.tcpspec.stack;

import java.util.ArrayList;
import java.util.List;

/**
 * A listener's half-open connections by the peer's address and port (Linux's request socks in
 * the listener's SYN queue): open addressing with linear probing and backward-shift deletion, as
 * {@link ConnectionIndex}, so a record costs its own bytes and one slot. The earliest SYN-ACK
 * deadline is remembered until a record leaves or moves its deadline.
 */
final class SynQueue {
  private HalfOpen[] slots = new HalfOpen[8];
  private int size;
  private long earliest = Long.MAX_VALUE;
  private boolean earliestStale;

  int size() {
    return size;
  }

  HalfOpen get(long remoteHigh, long remoteLow, int remotePort) {
    int mask = slots.length - 1;
    for (int i = hash(remoteHigh, remoteLow, remotePort) & mask; ; i = (i + 1) & mask) {
      HalfOpen h = slots[i];
      if (h == null || (h.remotePort == remotePort && h.remoteAddrLow == remoteLow
          && h.remoteAddrHigh == remoteHigh)) {
        return h;
      }
    }
  }

  /** Adds {@code h}; the caller has checked that its peer has no record yet. */
  void put(HalfOpen h) {
    if (2 * (size + 1) > slots.length) grow();
    insert(slots, h);
    size++;
    deadlineMoved(h);
  }

  void remove(HalfOpen h) {
    int mask = slots.length - 1;
    int i = hash(h.remoteAddrHigh, h.remoteAddrLow, h.remotePort) & mask;
    while (slots[i] != null && slots[i] != h) i = (i + 1) & mask;
    if (slots[i] == null) return;
    slots[i] = null;
    size--;
    earliestStale = true;
    for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
      int home = hash(slots[j].remoteAddrHigh, slots[j].remoteAddrLow, slots[j].remotePort) & mask;
      if (((j - home) & mask) >= ((j - i) & mask)) {
        slots[i] = slots[j];
        slots[j] = null;
        i = j;
      }
    }
  }

  /** A record's SYN-ACK deadline changed (set or later): the earliest may have too. */
  void deadlineMoved(HalfOpen h) {
    if (h.deadlineNanos < earliest) earliest = h.deadlineNanos;
    else earliestStale = true;
  }

  long nextDeadlineNanos() {
    if (earliestStale) {
      earliest = Long.MAX_VALUE;
      for (HalfOpen h : slots) if (h != null) earliest = Math.min(earliest, h.deadlineNanos);
      earliestStale = false;
    }
    return earliest;
  }

  /** The records whose deadline has come, to be handled after the walk (they may leave). */
  List<HalfOpen> due(long nowNanos) {
    List<HalfOpen> due = new ArrayList<>();
    if (nextDeadlineNanos() > nowNanos) return due;
    for (HalfOpen h : slots) if (h != null && h.deadlineNanos <= nowNanos) due.add(h);
    return due;
  }

  List<HalfOpen> all() {
    List<HalfOpen> all = new ArrayList<>(size);
    for (HalfOpen h : slots) if (h != null) all.add(h);
    return all;
  }

  private void grow() {
    HalfOpen[] next = new HalfOpen[2 * slots.length];
    for (HalfOpen h : slots) if (h != null) insert(next, h);
    slots = next;
  }

  private static void insert(HalfOpen[] table, HalfOpen h) {
    int mask = table.length - 1;
    int i = hash(h.remoteAddrHigh, h.remoteAddrLow, h.remotePort) & mask;
    while (table[i] != null) i = (i + 1) & mask;
    table[i] = h;
  }

  private static int hash(long remoteHigh, long remoteLow, int remotePort) {
    int x = (FourTuple.hash(remoteHigh, remoteLow) * 31 + remotePort) * 0x9E3779B9;
    return x ^ (x >>> 16);
  }
}
