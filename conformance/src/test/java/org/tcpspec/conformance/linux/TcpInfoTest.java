package org.tcpspec.conformance.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class TcpInfoTest {

  @Test
  void decodesBitfieldsAndOffsetsOfTheUapiLayout() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment raw = arena.allocate(256, 8);
      raw.set(JAVA_BYTE, 0, (byte) 1); // TCP_ESTABLISHED
      raw.set(JAVA_BYTE, 6, (byte) 0x73); // snd_wscale 3 (low nibble), rcv_wscale 7
      raw.set(JAVA_BYTE, 7, (byte) 0x05); // app_limited 1, fastopen_client_fail 2
      raw.set(JAVA_INT, 8, 201_000); // tcpi_rto
      raw.set(JAVA_INT, 16, 1448); // tcpi_snd_mss
      raw.set(JAVA_INT, 80, 10); // tcpi_snd_cwnd
      raw.set(JAVA_INT, 100, -1); // tcpi_total_retrans, unsigned

      TcpInfo info = TcpInfo.parse(raw, 104);
      assertEquals("ESTABLISHED", info.stateName());
      assertEquals(3, info.sndWscale());
      assertEquals(7, info.rcvWscale());
      assertEquals(1, info.get("tcpi_delivery_rate_app_limited"));
      assertEquals(2, info.get("tcpi_fastopen_client_fail"));
      assertEquals(201_000, info.rtoMicros());
      assertEquals(1448, info.sndMss());
      assertEquals(10, info.sndCwnd());
      assertEquals(0xFFFF_FFFFL, info.get("tcpi_total_retrans"));
      assertFalse(info.fields().containsKey("tcpi_pacing_rate"), "beyond the 104 bytes returned");
      assertThrows(NoSuchElementException.class, () -> info.get("tcpi_pacing_rate"));
    }
  }

  @Test
  void accurateEcnBitfieldsShareTheLastWord() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment raw = arena.allocate(280, 8);
      raw.set(JAVA_INT, 244, 1234); // tcpi_total_rto_time
      raw.set(JAVA_INT, 248, 9); // tcpi_received_ce
      // ecn_mode 2 (bits 0-1), accecn_opt_seen 1 (bits 2-3), fail_mode 0xA (4-7), options2 0xABCDE
      raw.set(JAVA_INT, 276, 2 | (1 << 2) | (0xA << 4) | (0xABCDE << 8));
      TcpInfo info = TcpInfo.parse(raw, 280);
      assertEquals(1234, info.get("tcpi_total_rto_time"));
      assertEquals(9, info.get("tcpi_received_ce"));
      assertEquals(2, info.get("tcpi_ecn_mode"));
      assertEquals(1, info.get("tcpi_accecn_opt_seen"));
      assertEquals(0xA, info.get("tcpi_accecn_fail_mode"));
      assertEquals(0xABCDE, info.get("tcpi_options2"));
      assertFalse(TcpInfo.parse(raw, 248).fields().containsKey("tcpi_received_ce"));
    }
  }

  @Test
  void knownLayoutEndsWithTheAccurateEcnWord() {
    assertEquals(280, TcpInfo.knownSize());
    assertTrue(TcpInfo.rfcStateName(10).equals("LISTEN"));
    assertEquals("TCP_STATE_99", TcpInfo.rfcStateName(99));
  }
}
