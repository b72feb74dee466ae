package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcpspec.wire.IpAddress;

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

  private static final IpAddress V4_PEER = IpAddress.parse("192.0.2.1");
  private static final IpAddress V4_LOCAL = IpAddress.parse("192.168.0.1");
  private static final IpAddress V6_PEER = IpAddress.parse("fd3d:fa7b:d17d::1");
  private static final IpAddress V6_LOCAL = IpAddress.parse("fd3d:fa7b:d17d::2");

  @Test
  void theMssRoundsDownInLinuxsIpv4Table() {
    int[] v4 = SynCookies.mssTable(V4_PEER);
    assertEquals(0, SynCookies.mssIndex(v4, 100));
    assertEquals(0, SynCookies.mssIndex(v4, 1299));
    assertEquals(1, SynCookies.mssIndex(v4, 1300));
    assertEquals(2, SynCookies.mssIndex(v4, 1459));
    assertEquals(3, SynCookies.mssIndex(v4, 9000));
  }

  @Test
  void anIpv6PeersMssRoundsDownInIpv6sTable() {
    // net/ipv6/syncookies.c: 1280, 1480, 1500 and 9000 less 60. With IPv4's table 1400 came back
    // as 1300 and 9000 as 1460 (listen/syn-cookies-carry-options-v6.pkt wants 1220).
    SynCookies c = new SynCookies(7);
    long made = 5 * MINUTE + 123;
    int[] v6 = SynCookies.mssTable(V6_PEER);
    for (int[] peerAndBack : new int[][] {{1220, 1220}, {1400, 1220}, {1420, 1420}, {1460, 1440}, {9000, 8940},
        {65535, 8940}}) {
      int cookie = c.cookie(V6_PEER, V6_LOCAL, 40000, 80, 1000, SynCookies.mssIndex(v6, peerAndBack[0]), made);
      assertEquals(peerAndBack[1], c.check(V6_PEER, V6_LOCAL, 40000, 80, cookie, 1000, made), "MSS " + peerAndBack[0]);
    }
    int cookie = c.cookie(V4_PEER, V4_LOCAL, 40000, 80, 1000, SynCookies.mssIndex(SynCookies.mssTable(V4_PEER), 1400),
        made);
    assertEquals(1300, c.check(V4_PEER, V4_LOCAL, 40000, 80, cookie, 1000, made), "IPv4 keeps its table");
  }

  @Test
  void aCookieChecksForTwoMinutesAndOnlyForItsTupleAndSequence() {
    SynCookies c = new SynCookies(7);
    long made = 5 * MINUTE + 123;
    int cookie = c.cookie(V4_PEER, V4_LOCAL, 40000, 80, 1000, 2, made);
    assertEquals(1440, c.check(V4_PEER, V4_LOCAL, 40000, 80, cookie, 1000, made));
    assertEquals(1440, c.check(V4_PEER, V4_LOCAL, 40000, 80, cookie, 1000, made + MINUTE));
    assertEquals(0, c.check(V4_PEER, V4_LOCAL, 40000, 80, cookie, 1000, made + 2 * MINUTE), "MAX_SYNCOOKIE_AGE");
    assertEquals(0, c.check(V4_PEER, V4_LOCAL, 40001, 80, cookie, 1000, made), "another port");
    // SEG.SEQ is added, not hashed (as in Linux): a sequence number a few off only moves the MSS
    // index, which is why the index has a 24-bit field for 4 values; far off, it fails.
    assertEquals(0, c.check(V4_PEER, V4_LOCAL, 40000, 80, cookie, 1000 + 5000, made), "another sequence number");
    assertNotEquals(cookie, new SynCookies(8).cookie(V4_PEER, V4_LOCAL, 40000, 80, 1000, 2, made), "another secret");
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
