package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.IpAddress;

/**
 * Fast Open cookies against the values Linux gives: google/packetdrill's gtests expect these
 * cookies from these keys and addresses, and the linux system under test produces them.
 */
class FastOpenKeyTest {
  private static String cookie(FastOpenKey key, String client, String server) {
    return HexFormat.of().formatHex(key.cookie(IpAddress.parse(client), IpAddress.parse(server)));
  }

  @Test
  void theSysctlKeyOfGtestsDefaultsGivesLinuxsCookieForIpv4() {
    FastOpenKey key = FastOpenKey.parseSysctl("a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4").orElseThrow().get(0);
    assertEquals("3021b9d889017eeb", cookie(key, "192.0.2.1", "192.168.0.1"));
  }

  @Test
  void theSysctlKeyOfGtestsDefaultsGivesLinuxsCookieForIpv6() {
    FastOpenKey key = FastOpenKey.parseSysctl("a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4").orElseThrow().get(0);
    assertEquals("c1d1e9742a47a9bc", cookie(key, "fd3d:fa7b:d17d::1", "fd3d:a0b:17d6::1"));
  }

  @Test
  void aSocketKeyOfSixteenBytesEqualsTheSysctlKeyOfItsLittleEndianWords() {
    byte[] raw = HexFormat.of().parseHex("f763bfa0813d80ed301d64cd904abcce");
    FastOpenKey fromSocket = FastOpenKey.ofBytes(raw).orElseThrow().get(0);
    FastOpenKey fromSysctl = FastOpenKey.parseSysctl("a0bf63f7-ed803d81-cd641d30-cebc4a90").orElseThrow().get(0);
    assertEquals(fromSysctl, fromSocket);
    assertEquals("00abaaabe8e954c2", cookie(fromSocket, "10.248.0.2", "192.168.0.2"));
  }

  @Test
  void aBackupKeyFollowsAComma() {
    List<FastOpenKey> keys =
        FastOpenKey.parseSysctl("a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4,00000000-00000000-00000000-00000001").orElseThrow();
    assertEquals(2, keys.size());
    assertEquals(new FastOpenKey(0, 1L << 32), keys.get(1));
  }

  @Test
  void malformedKeysAreRefused() {
    assertTrue(FastOpenKey.parseSysctl("a1a1a1a1-b2b2b2b2-c3c3c3c3").isEmpty());
    assertTrue(FastOpenKey.parseSysctl("xyz-b2b2b2b2-c3c3c3c3-d4d4d4d4").isEmpty());
    assertTrue(FastOpenKey.ofBytes(new byte[3]).isEmpty());
    assertEquals(2, FastOpenKey.ofBytes(new byte[32]).orElseThrow().size());
  }
}
