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
  void knownLayoutEndsAfterTcpiTotalRtoTime() {
    assertEquals(248, TcpInfo.knownSize());
    assertTrue(TcpInfo.rfcStateName(10).equals("LISTEN"));
    assertEquals("TCP_STATE_99", TcpInfo.rfcStateName(99));
  }
}
