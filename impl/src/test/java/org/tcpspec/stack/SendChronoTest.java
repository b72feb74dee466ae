package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Linux's send chronographs, as google/packetdrill's tcp-info-rwnd-limited measures them. */
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
}
