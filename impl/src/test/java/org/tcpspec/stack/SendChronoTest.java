package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Linux's send chronographs (tcp_chrono_start, tcp_chrono_stop, tcp_get_info_chrono_stats). */
class SendChronoTest {
  @Test
  void rwndLimitedTimeIsPartOfBusyTimeAndAllStopsWhenNothingIsLeft() {
    SendChrono c = new SendChrono();
    c.start(SendChrono.BUSY, 10);
    c.start(SendChrono.RWND_LIMITED, 10); // a closed window holds the write
    assertEquals(100_000, c.rwndLimitedMicros(110));
    c.start(SendChrono.BUSY, 150); // a lower chronograph does not take over
    c.stop(SendChrono.RWND_LIMITED, false, 210); // the window opened: busy again
    c.stop(SendChrono.BUSY, true, 240); // all acknowledged
    assertEquals(200_000, c.rwndLimitedMicros(500));
    assertEquals(230_000, c.busyMicros(500));
    c.stop(SendChrono.RWND_LIMITED, false, 600); // not running: nothing changes
    assertEquals(230_000, c.busyMicros(700));
  }

  @Test
  void sndbufLimitedOutranksRwndLimitedAndIsPartOfBusyTime() {
    SendChrono c = new SendChrono();
    c.start(SendChrono.BUSY, 0);
    c.start(SendChrono.SNDBUF_LIMITED, 10); // the last queued data went, the writer waits for room
    c.start(SendChrono.RWND_LIMITED, 20); // a lower chronograph does not take over
    c.stop(SendChrono.RWND_LIMITED, false, 30); // nor does stopping one that does not run change anything
    assertEquals(30_000, c.sndbufLimitedMicros(40), "the running chronograph counts up to now");
    c.stop(SendChrono.SNDBUF_LIMITED, false, 50); // the stream is writeable again: busy
    c.start(SendChrono.RWND_LIMITED, 60);
    c.stop(SendChrono.BUSY, true, 75); // all acknowledged
    assertEquals(40_000, c.sndbufLimitedMicros(100));
    assertEquals(15_000, c.rwndLimitedMicros(100));
    assertEquals(75_000, c.busyMicros(100), "busy time sums all three");
  }
}
