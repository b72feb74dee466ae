package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.TcpOption;

/**
 * tcpi_advmss as Linux keeps tp->advmss: the MSS our SYN offered, 12 bytes less once the
 * connection is established with timestamps, before the first receive space is measured from it.
 */
class AdvMssTest {

  private static long info(Harness h, TcpInfo.Field f) {
    return ConnectionInfo.of(h.conn).get(f);
  }

  /** Active open under the device's MTU 1500 and {@code maxSeg} (0: none); the SYN-ACK with {@code options}. */
  private static Harness established(int maxSeg, TcpOption... options) {
    Harness h = new Harness();
    SocketOptions o = h.stack.defaultOptions();
    o.maxSeg = maxSeg;
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, o).orElseThrow();
    h.expectOne(SYN);
    assertEquals(maxSeg > 0 ? maxSeg : 1460, info(h, TcpInfo.Field.ADVMSS), "in SYN-SENT: what the SYN offered");
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], options));
    h.expectOne(ACK);
    h.expectState(State.ESTABLISHED);
    return h;
  }

  @Test
  void timestampsTakeTwelveBytesAtEstablishment() {
    Harness h = established(0, new TcpOption.Mss(1400), new TcpOption.Timestamp(100, 0));
    assertEquals(1448, info(h, TcpInfo.Field.ADVMSS));
    assertEquals(14480, info(h, TcpInfo.Field.RCV_SPACE), "tcp_init_buffer_space: ten times advmss");
  }

  @Test
  void withoutTimestampsTheOfferedMssStays() {
    Harness h = established(0, new TcpOption.Mss(1400));
    assertEquals(1460, info(h, TcpInfo.Field.ADVMSS));
    assertEquals(14600, info(h, TcpInfo.Field.RCV_SPACE));
  }

  @Test
  void tcpMaxsegLowersWhatIsOffered() {
    Harness h = established(1200, new TcpOption.Mss(1400), new TcpOption.Timestamp(100, 0));
    assertEquals(1188, info(h, TcpInfo.Field.ADVMSS));
    assertEquals(11880, info(h, TcpInfo.Field.RCV_SPACE));
  }
}
