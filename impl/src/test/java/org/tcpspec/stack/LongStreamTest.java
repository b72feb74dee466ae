package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;

/**
 * A connection keeps sending however far its stream has gone: sequence numbers are modular
 * (RFC 9293 §3.4), so nothing may compare SND.UNA with ISS once 2^31 bytes are behind. Found by
 * the steady-state benchmark, which stopped after exactly 2 GiB.
 */
class LongStreamTest {

  @Test
  void dataFlowsAfterTwoGibibytesWereAcknowledged() {
    Harness h = Harness.established();
    Tcb tcb = h.conn.tcb();
    // As if 2^31 + 100 bytes had been sent and acknowledged: SND.UNA now lies "before" ISS.
    int far = Harness.plus(h.iss(), (1 << 31) + 101);
    tcb.sndUna = far;
    tcb.sndNxt = far;
    assertEquals(500, h.stack.write(h.conn, Harness.bytes(500, 7), 0, 500));
    Segment data = h.expectOne(TcpFlags.ACK | TcpFlags.PSH);
    assertEquals(far, data.seq());
    assertEquals(500, data.payloadLength());
    h.send(Harness.peer(TcpFlags.ACK, Harness.PEER_ISS + 1, Harness.plus(far, 500)));
    assertEquals(0, tcb.sendBuffer.size(), "the ACK released exactly the 500 bytes");
    assertEquals(Harness.plus(far, 500), tcb.sndUna);
  }
}
