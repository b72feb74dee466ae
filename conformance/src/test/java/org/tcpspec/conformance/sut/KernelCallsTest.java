package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.SocketCall;

/** The bytes a setsockopt passes are the C structures' in the host's byte order. */
class KernelCallsTest {

  private static ByteBuffer host(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
  }

  @Test
  void anIntIsFourBytesInHostOrder() {
    assertArrayEquals(host(4).putInt(0x01020304).array(),
        KernelCalls.optionBytes(new SocketCall.OptValue.IntValue(0x01020304)));
    assertArrayEquals(host(4).putInt(-2).array(), KernelCalls.optionBytes(new SocketCall.OptValue.IntValue(-2)));
  }

  @Test
  void aLingerIsOnoffThenSeconds() {
    assertArrayEquals(host(8).putInt(1).putInt(0x7f000001).array(),
        KernelCalls.optionBytes(new SocketCall.OptValue.Linger(1, 0x7f000001)));
  }

  @Test
  void aTimevalIsTwoLongs() {
    assertArrayEquals(host(16).putLong(0x0102030405060708L).putLong(-1).array(),
        KernelCalls.optionBytes(new SocketCall.OptValue.Timeval(0x0102030405060708L, -1)));
  }

  @Test
  void textIsItsBytes() {
    assertArrayEquals(new byte[] {'r', 'e', 'n', 'o'},
        KernelCalls.optionBytes(new SocketCall.OptValue.Text(new byte[] {'r', 'e', 'n', 'o'})));
  }
}
