package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.bytes;
import static org.tcpspec.stack.Harness.peer;
import static org.tcpspec.wire.TcpFlags.ACK;
import static org.tcpspec.wire.TcpFlags.FIN;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * A FIN ahead of RCV.NXT (RFC 9293 §3.10.7.4 seventh and eighth steps), as Linux handles it: held
 * with the out-of-order text (tcp_data_queue_ofo), SACKed with its sequence number and ACKed at
 * once, and taken when the text before it arrives (tcp_ofo_queue, then tcp_fin).
 */
class OutOfOrderFinTest {

  private static List<TcpOption.SackBlock> sack(Segment s) {
    return s.option(TcpOption.Sack.class).map(TcpOption.Sack::blocks).orElse(List.of());
  }

  @Test
  void aFinAheadIsHeldSackedAndTakenWhenTheHoleFills() {
    Harness h = LossResponseTest.sackConnection();
    int rcv = h.rcvNxt();
    h.send(peer(ACK | FIN, rcv + 1000, h.sndNxt()));
    Segment dupAck = h.expectOne(ACK);
    assertEquals(rcv, dupAck.ack());
    assertEquals(List.of(new TcpOption.SackBlock(rcv + 1000, rcv + 1001)), sack(dupAck));
    assertEquals(Action.EstablishedRcvData, h.lastAction());
    h.expectState(State.ESTABLISHED);

    h.send(peer(ACK, rcv + 500, h.sndNxt(), bytes(500, 1)));
    assertEquals(List.of(new TcpOption.SackBlock(rcv + 500, rcv + 1001)), sack(h.expectOne(ACK)));

    h.send(peer(ACK, rcv, h.sndNxt(), bytes(500, 0)));
    Segment finAck = h.expectOne(ACK);
    assertEquals(rcv + 1001, finAck.ack());
    assertEquals(List.of(), sack(finAck));
    assertEquals(Action.EstablishedRcvFin, h.lastAction());
    h.expectState(State.CLOSE_WAIT);
    assertEquals(1000, h.stack.read(h.conn, new byte[2000], 0, 2000));
    assertTrue(h.conn.peerFinished());
  }

  @Test
  void aHeldFinSentAgainIsReportedAsDuplicate() {
    Harness h = LossResponseTest.sackConnection();
    int rcv = h.rcvNxt();
    h.send(peer(ACK | FIN, rcv + 100, h.sndNxt(), bytes(100, 1)));
    assertEquals(List.of(new TcpOption.SackBlock(rcv + 100, rcv + 201)), sack(h.expectOne(ACK)));
    h.send(peer(ACK | FIN, rcv + 200, h.sndNxt()));
    // RFC 2883: the duplicate first (Linux tcp_data_queue_ofo: "All the bits are present").
    assertEquals(List.of(new TcpOption.SackBlock(rcv + 200, rcv + 201), new TcpOption.SackBlock(rcv + 100, rcv + 201)),
        sack(h.expectOne(ACK)));
    h.expectState(State.ESTABLISHED);
  }

  @Test
  void textPastAHeldFinMakesItStale() {
    Harness h = LossResponseTest.sackConnection();
    int rcv = h.rcvNxt();
    h.send(peer(ACK | FIN, rcv + 100, h.sndNxt()));
    h.expectOne(ACK);
    // The peer contradicts itself: in-order text runs past the FIN it sent. Linux's tcp_ofo_queue
    // drops the FIN's skb as old; the connection stays open.
    h.send(peer(ACK, rcv, h.sndNxt(), bytes(300, 0)));
    assertEquals(Action.EstablishedRcvData, h.lastAction());
    h.expectState(State.ESTABLISHED);
    h.out();
    h.send(peer(ACK | FIN, rcv + 300, h.sndNxt()));
    assertEquals(Action.EstablishedRcvFin, h.lastAction());
    // In CLOSE-WAIT the ACK waits for the delayed-ACK timer (Linux's tcp_fin: pingpong mode).
    h.expectNothing();
    h.advanceMillis(Receiver.DELAYED_ACK_NANOS / 1_000_000);
    assertEquals(rcv + 301, h.expectOne(ACK).ack());
  }

  @Test
  void inFinWait2TheFinAckReportsTheBlocksItMadeCumulative() {
    Harness h = Harness.finWait2();
    int rcv = h.rcvNxt();
    h.send(peer(ACK | FIN, rcv + 100, h.sndNxt(), bytes(100, 1)));
    h.expectOne(ACK);
    h.send(peer(ACK, rcv, h.sndNxt(), bytes(100, 0)));
    Segment finAck = h.expectOne(ACK);
    assertEquals(rcv + 201, finAck.ack());
    assertEquals(Action.FinWait2RcvFin, h.lastAction());
    h.expectState(State.TIME_WAIT);
  }
}
