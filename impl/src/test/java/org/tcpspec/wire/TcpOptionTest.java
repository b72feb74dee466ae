package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TcpOptionTest {

  /** An Unknown with a known kind's defined length would parse back as the known option. */
  @Test
  void unknownRefusesAKnownKindWithItsDefinedLength() {
    assertThrows(IllegalArgumentException.class, () -> new TcpOption.Unknown(2, new byte[2]));
    assertThrows(IllegalArgumentException.class, () -> new TcpOption.Unknown(3, new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> new TcpOption.Unknown(4, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new TcpOption.Unknown(5, new byte[16]));
    assertThrows(IllegalArgumentException.class, () -> new TcpOption.Unknown(8, new byte[8]));
    assertEquals(5, new TcpOption.Unknown(2, new byte[3]).wireLength());
    assertEquals(2, new TcpOption.Unknown(5, new byte[0]).wireLength());
    assertEquals(12, new TcpOption.Unknown(5, new byte[10]).wireLength());
  }

  @Test
  void unknownKeepsItsOwnCopyAndComparesByContent() {
    byte[] data = {1, 2, 3};
    TcpOption.Unknown u = new TcpOption.Unknown(99, data);
    data[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, u.data());
    assertEquals(new TcpOption.Unknown(99, new byte[] {1, 2, 3}), u);
    assertEquals(new TcpOption.Unknown(99, new byte[] {1, 2, 3}).hashCode(), u.hashCode());
    assertNotEquals(new TcpOption.Unknown(98, new byte[] {1, 2, 3}), u);
  }

  @Test
  void wireLengthsMatchTheRfcs() {
    assertEquals(1, new TcpOption.Eol().wireLength());
    assertEquals(1, new TcpOption.Nop().wireLength());
    assertEquals(4, new TcpOption.Mss(1460).wireLength());
    assertEquals(3, new TcpOption.WindowScale(14).wireLength());
    assertEquals(2, new TcpOption.SackPermitted().wireLength());
    assertEquals(10, new TcpOption.Timestamp(1, 2).wireLength());
    assertEquals(34, new TcpOption.Sack(List.of(new TcpOption.SackBlock(1, 2), new TcpOption.SackBlock(3, 4),
        new TcpOption.SackBlock(5, 6), new TcpOption.SackBlock(7, 8))).wireLength());
    assertThrows(IllegalArgumentException.class, () -> new TcpOption.Sack(List.of()));
  }
}
