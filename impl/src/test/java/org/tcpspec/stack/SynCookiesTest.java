package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cookie arithmetic of Linux's syncookies.c, without a stack. */
class SynCookiesTest {
  private static final long MINUTE = 60_000_000_000L;

  @Test
  void sipHashMatchesTheReferenceVector() {
    // Aumasson and Bernstein's test vector: key 00..0f, message 00..0f -> db9bc2577fcc2a3f (bytes).
    long k0 = 0x0706050403020100L;
    long k1 = 0x0f0e0d0c0b0a0908L;
    assertEquals(0x3f2acc7f57c29bdbL, SipHash.hash24(k0, k1, k0, k1));
  }

  @Test
  void theMssRoundsDownInLinuxsTable() {
    assertEquals(0, SynCookies.mssIndex(100));
    assertEquals(0, SynCookies.mssIndex(1299));
    assertEquals(1, SynCookies.mssIndex(1300));
    assertEquals(2, SynCookies.mssIndex(1459));
    assertEquals(3, SynCookies.mssIndex(9000));
  }

  @Test
  void aCookieChecksForTwoMinutesAndOnlyForItsTupleAndSequence() {
    SynCookies c = new SynCookies(7);
    long made = 5 * MINUTE + 123;
    int cookie = c.cookie(1, 2, 40000, 80, 1000, 2, made);
    assertEquals(1440, c.check(1, 2, 40000, 80, cookie, 1000, made));
    assertEquals(1440, c.check(1, 2, 40000, 80, cookie, 1000, made + MINUTE));
    assertEquals(0, c.check(1, 2, 40000, 80, cookie, 1000, made + 2 * MINUTE), "MAX_SYNCOOKIE_AGE");
    assertEquals(0, c.check(1, 2, 40001, 80, cookie, 1000, made), "another port");
    // SEG.SEQ is added, not hashed (as in Linux): a sequence number a few off only moves the MSS
    // index, which is why the index has a 24-bit field for 4 values; far off, it fails.
    assertEquals(0, c.check(1, 2, 40000, 80, cookie, 1000 + 5000, made), "another sequence number");
    assertNotEquals(cookie, new SynCookies(8).cookie(1, 2, 40000, 80, 1000, 2, made), "another secret");
  }

  @Test
  void theTimestampCarriesTheOptionsAndNeverRunsAhead() {
    for (long now : new long[] {0, 63, 64, 1_000_000, 1_000_037}) {
      int ts = SynCookies.timestamp(now + 100, 7, true, false);
      assertEquals(7, SynCookies.wscale(ts));
      assertTrue(SynCookies.sack(ts));
      assertTrue(ts <= now + 100 && ts > now + 100 - 64, now + ": " + ts);
    }
    assertEquals(SynCookies.NO_WSCALE, SynCookies.wscale(SynCookies.timestamp(5000, SynCookies.NO_WSCALE, false, false)));
  }
}
