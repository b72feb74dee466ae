package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.PEER_ISS;
import static org.tcpspec.stack.Harness.peer;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.spec.TcbTraceValidation;
import org.tcpspec.spec.TcbTraceVerdict;
import org.tcpspec.trace.TcbTraces;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.SeqNum;
import org.tcpspec.wire.TcpFlags;

/**
 * TCB-level trace validation has teeth: a stack with a planted bug (a mutant) is rejected at the
 * record where the bug shows, and the same scenario on the real stack is accepted.
 */
class TcbTraceMutantTest {

  /** The mutant: after taking the peer's FIN, RCV.NXT is one too far (it acknowledges a byte never sent). */
  static final class FinOffByOneReceiver extends Receiver {
    private final Connection c;

    FinOffByOneReceiver(Connection c) {
      super(c);
      this.c = c;
      // It takes over the window the replaced receiver offered: the classifier's acceptability
      // test reads it (Classifier.acceptanceWindow), and a fresh one has offered nothing.
      window.initialWindow(c.receiver.window.receiveWindow());
    }

    @Override
    void fin(SegmentView seg) {
      super.fin(seg);
      c.tcb.rcvNxt = SeqNum.plus(c.tcb.rcvNxt, 1);
    }
  }

  /**
   * ESTABLISHED, 100 bytes from the peer, its FIN, our close, the ACK of our FIN. Returns the
   * acknowledgment number our FIN carried.
   */
  private static int passiveClose(Harness h) {
    h.send(peer(TcpFlags.ACK | TcpFlags.PSH, PEER_ISS + 1, h.sndNxt(), new byte[100]));
    h.send(peer(TcpFlags.FIN | TcpFlags.ACK, PEER_ISS + 101, h.sndNxt()));
    h.out();
    h.expectState(State.CLOSE_WAIT);
    h.stack.shutdownWrite(h.conn);
    int ack = h.expectOne(TcpFlags.FIN | TcpFlags.ACK).ack();
    h.send(peer(TcpFlags.ACK, PEER_ISS + 102, h.sndNxt()));
    return ack;
  }

  @Test
  void theRealStackIsAccepted() throws IOException {
    Harness h = Harness.established();
    assertEquals(PEER_ISS + 102, passiveClose(h));
    h.expectState(State.CLOSED);
    TcbTraceVerdict v = TcbTraceValidation.check(TcbTraces.byConnection(h.trace.records()));
    assertTrue(v instanceof TcbTraceVerdict.Accepted, v.toString());
  }

  @Test
  void rcvNxtOneBeyondThePeersFinIsRejectedAtTheFin() throws IOException {
    Harness h = Harness.established();
    h.conn.receiver = new FinOffByOneReceiver(h.conn);
    // On the wire: our FIN acknowledges a sequence number the peer never sent, so the peer's ACK
    // of it falls before RCV.NXT, fails the sequence check, and the connection hangs in LAST-ACK.
    assertEquals(PEER_ISS + 103, passiveClose(h));
    h.expectState(State.LAST_ACK);
    TcbTraceVerdict v = TcbTraceValidation.check(TcbTraces.byConnection(h.trace.records()));
    if (!(v instanceof TcbTraceVerdict.Rejected(String trace, int record, String reason))) {
      throw new AssertionError("the mutant was accepted: " + v);
    }
    int finRecord = 1 + h.trace.of(trace).stream().map(r -> r.action()).toList().indexOf("EstablishedRcvFin");
    assertTrue(finRecord > 0, "no EstablishedRcvFin in " + h.trace.of(trace));
    assertEquals(finRecord, record, reason);
    assertTrue(reason.contains("EstablishedRcvFin") && reason.contains("RCV.NXT " + (PEER_ISS + 103)), reason);
  }
}
