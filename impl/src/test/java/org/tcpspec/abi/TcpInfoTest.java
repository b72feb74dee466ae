package org.tcpspec.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.TcpInfo.Field;

class TcpInfoTest {

  private static ByteBuffer struct() {
    return ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void decodesBitfieldsAndOffsetsOfTheUapiLayout() {
    ByteBuffer raw = struct();
    raw.put(0, (byte) 1); // TCP_ESTABLISHED
    raw.put(6, (byte) 0x73); // snd_wscale 3 (low nibble), rcv_wscale 7
    raw.put(7, (byte) 0x05); // app_limited 1, fastopen_client_fail 2
    raw.putInt(8, 201_000); // tcpi_rto
    raw.putInt(16, 1448); // tcpi_snd_mss
    raw.putInt(80, 10); // tcpi_snd_cwnd
    raw.putInt(100, -1); // tcpi_total_retrans, unsigned

    TcpInfo info = TcpInfo.decode(raw.array(), 104);
    assertEquals(Symbol.TCP_ESTABLISHED.value(), info.get(Field.STATE));
    assertEquals(3, info.get(Field.SND_WSCALE));
    assertEquals(7, info.get(Field.RCV_WSCALE));
    assertEquals(1, info.get(Field.DELIVERY_RATE_APP_LIMITED));
    assertEquals(2, info.get(Field.FASTOPEN_CLIENT_FAIL));
    assertEquals(201_000, info.get(Field.RTO));
    assertEquals(1448, info.get(Field.SND_MSS));
    assertEquals(10, info.fields().get("tcpi_snd_cwnd"));
    assertEquals(0xFFFF_FFFFL, info.get(Field.TOTAL_RETRANS));
    assertFalse(info.fields().containsKey("tcpi_pacing_rate"), "beyond the 104 bytes returned");
    assertThrows(NoSuchElementException.class, () -> info.get(Field.PACING_RATE));
  }

  /**
   * Linux 6.18 ends the struct with seven u32 Accurate ECN counters and two u16 (the layout
   * measured on this machine's 6.18 kernel: with RFC 3168 ECN negotiated the last four bytes stay
   * 0, where a later kernel's tcpi_ecn_mode bitfield would read 1).
   */
  @Test
  void accurateEcnFieldsEndTheStruct() {
    ByteBuffer raw = struct();
    raw.putInt(244, 1234); // tcpi_total_rto_time
    raw.putInt(248, 9); // tcpi_received_ce
    raw.putInt(268, 20_000); // tcpi_received_e0_bytes
    raw.putShort(276, (short) 0xA); // tcpi_accecn_fail_mode
    raw.putShort(278, (short) 2); // tcpi_accecn_opt_seen
    TcpInfo info = TcpInfo.decode(raw.array(), 280);
    assertEquals(1234, info.get(Field.TOTAL_RTO_TIME));
    assertEquals(9, info.get(Field.RECEIVED_CE));
    assertEquals(20_000, info.get(Field.RECEIVED_E0_BYTES));
    assertEquals(0xA, info.get(Field.ACCECN_FAIL_MODE));
    assertEquals(2, info.get(Field.ACCECN_OPT_SEEN));
    assertFalse(TcpInfo.decode(raw.array(), 248).has(Field.RECEIVED_CE));
    assertEquals(TcpInfo.SIZE, info.length());
  }

  /** Each field starts where the one before ended, or shares its byte as a bitfield. */
  @Test
  void fieldsTileTheStructWithoutGaps() {
    int end = 0;
    int bitsUsed = 0;
    Field previous = null;
    for (Field f : Field.values()) {
      if (previous != null && f.offset() == previous.offset() && f.bits() < f.size() * 8) {
        assertEquals(bitsUsed, f.shift(), f + " follows the previous bitfield");
        bitsUsed += f.bits();
      } else {
        assertEquals(end, f.offset(), f + " starts where " + previous + " ended");
        assertEquals(0, f.offset() % f.size(), f + " is naturally aligned");
        assertEquals(0, f.shift(), f + " starts its storage unit");
        bitsUsed = f.bits();
      }
      assertTrue(bitsUsed <= f.size() * 8, f + " fits its storage unit");
      end = f.end();
      previous = f;
    }
    assertEquals(TcpInfo.SIZE, end);
    assertEquals(70, Field.values().length, "the members of Linux 6.18's struct tcp_info");
  }

  @Test
  void aStackFillsWhatItKnowsAndTheRestReadsZero() {
    TcpInfo info = TcpInfo.of(Map.of(Field.STATE, 10L, Field.SND_MSS, 536L));
    assertEquals(TcpInfo.SIZE, info.length());
    assertEquals(536, info.get(Field.SND_MSS));
    assertEquals(0, info.get(Field.ACCECN_OPT_SEEN));
    assertEquals(Field.values().length, info.fields().size());
    assertEquals(Optional.of(Field.SND_CWND), Field.byCName("tcpi_snd_cwnd"));
    assertEquals(Optional.empty(), Field.byCName("tcpi_no_such_field"));
    assertThrows(IllegalArgumentException.class, () -> TcpInfo.of(Map.of(Field.SND_WSCALE, 16L)),
        "a 4-bit field holds at most 15");
  }

  /** What a stack encodes is what a kernel's bytes decode to, bitfields sharing a byte included. */
  @Test
  void encodeIsDecodeUndone() {
    Map<Field, Long> values = new java.util.HashMap<>();
    for (Field f : Field.values()) values.put(f, f.bits() == 64 ? 0x0102030405060708L + f.ordinal() : (f.ordinal() * 7L) & ((1L << f.bits()) - 1));
    TcpInfo info = TcpInfo.of(values);
    byte[] bytes = info.encode();
    assertEquals(TcpInfo.SIZE, bytes.length);
    assertEquals(info.fields(), TcpInfo.decode(bytes, bytes.length).fields());
    byte[] wscales = TcpInfo.of(Map.of(Field.SND_WSCALE, 7L, Field.RCV_WSCALE, 10L)).encode();
    assertEquals((byte) 0xA7, wscales[6], "snd in the low nibble, rcv in the high one");
  }
}
