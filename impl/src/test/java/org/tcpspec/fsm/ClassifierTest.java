package org.tcpspec.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.wire.TcpFlags.ACK;
import static org.tcpspec.wire.TcpFlags.FIN;
import static org.tcpspec.wire.TcpFlags.RST;
import static org.tcpspec.wire.TcpFlags.SYN;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentView;

/** The §3.10.7 order of checks, one case per arrival kind. */
class ClassifierTest {
  /**
   * A TCB with ISS 1000 (SND.UNA 1001), IRS 5000 (RCV.NXT 5001), window 1000; MAX.SND.WND 100
   * unless given.
   */
  record View(int iss, int sndUna, int sndNxt, int rcvNxt, long rcvWnd, boolean finSent, boolean reopenable,
      long maxSndWnd) implements TcbView {
    View(int iss, int sndUna, int sndNxt, int rcvNxt, long rcvWnd, boolean finSent, boolean reopenable) {
      this(iss, sndUna, sndNxt, rcvNxt, rcvWnd, finSent, reopenable, 100);
    }

    View(int iss, int sndUna, int sndNxt, int rcvNxt, long rcvWnd, boolean finSent) {
      this(iss, sndUna, sndNxt, rcvNxt, rcvWnd, finSent, false);
    }

    @Override
    public int irs() {
      return 5000;
    }

    @Override
    public boolean pawsRejects(SegmentView seg) {
      return false;
    }
  }

  static final View EST = new View(1000, 1001, 1101, 5001, 1000, false);

  static Segment seg(int flags, int seq, int ack, int len) {
    return new Segment(1, 2, 80, 40000, seq, ack, flags, 1000, 0, List.of(), new byte[len]);
  }

  @Test
  void acceptabilityHasFourCases() {
    // RFC 9293 §3.10.7.4: length 0 / window 0: SEG.SEQ = RCV.NXT.
    assertTrue(Classifier.acceptable(10, 0, 10, 0));
    assertFalse(Classifier.acceptable(11, 0, 10, 0));
    // Length 0, window > 0: RCV.NXT =< SEG.SEQ < RCV.NXT + RCV.WND.
    assertTrue(Classifier.acceptable(19, 0, 10, 10));
    assertFalse(Classifier.acceptable(20, 0, 10, 10));
    // Length > 0, window 0: never.
    assertFalse(Classifier.acceptable(10, 1, 10, 0));
    // Length > 0, window > 0: either end inside.
    assertTrue(Classifier.acceptable(5, 6, 10, 10));
    assertFalse(Classifier.acceptable(5, 5, 10, 10));
    assertTrue(Classifier.acceptable(19, 5, 10, 10));
    // Across wraparound.
    assertTrue(Classifier.acceptable(-2, 4, -1, 10));
  }

  @Test
  void closedAndListen() {
    assertEquals(Event.RCV_RST, Classifier.classify(State.CLOSED, seg(RST, 1, 0, 0), EST));
    assertEquals(Event.RCV_SEGMENT, Classifier.classify(State.CLOSED, seg(SYN, 1, 0, 0), EST));
    assertEquals(Event.RCV_RST, Classifier.classify(State.LISTEN, seg(RST | ACK, 1, 0, 0), EST));
    assertEquals(Event.RCV_ACK, Classifier.classify(State.LISTEN, seg(SYN | ACK, 1, 0, 0), EST));
    assertEquals(Event.RCV_SYN, Classifier.classify(State.LISTEN, seg(SYN, 1, 0, 0), EST));
    assertEquals(Event.RCV_OTHER, Classifier.classify(State.LISTEN, seg(FIN, 1, 0, 0), EST));
    // Linux (tcp_rcv_state_process): a SYN with FIN is dropped by a listener; with RST, the RST counts.
    assertEquals(Event.RCV_OTHER, Classifier.classify(State.LISTEN, seg(SYN | FIN, 1, 0, 0), EST));
    assertEquals(Event.RCV_RST, Classifier.classify(State.LISTEN, seg(SYN | RST, 1, 0, 0), EST));
  }

  @Test
  void synSentChecksAckBeforeRstBeforeSyn() {
    View v = new View(1000, 1000, 1001, 0, 1000, false);
    assertEquals(Event.RCV_BAD_ACK, Classifier.classify(State.SYN_SENT, seg(RST | ACK, 0, 1000, 0), v));
    assertEquals(Event.RCV_BAD_ACK, Classifier.classify(State.SYN_SENT, seg(SYN | ACK, 0, 1002, 0), v));
    assertEquals(Event.RCV_RST, Classifier.classify(State.SYN_SENT, seg(RST | ACK, 0, 1001, 0), v));
    assertEquals(Event.RCV_RST_NO_ACK, Classifier.classify(State.SYN_SENT, seg(RST, 0, 0, 0), v));
    assertEquals(Event.RCV_SYN_ACK, Classifier.classify(State.SYN_SENT, seg(SYN | ACK, 7, 1001, 0), v));
    assertEquals(Event.RCV_SYN_ACK_FIN, Classifier.classify(State.SYN_SENT, seg(SYN | ACK | FIN, 7, 1001, 10), v));
    // Simultaneous open: a SYN without ACK stays RCV_SYN, FIN or not (SYN-RECEIVED's rows take the FIN later).
    assertEquals(Event.RCV_SYN, Classifier.classify(State.SYN_SENT, seg(SYN | FIN, 7, 0, 0), v));
    assertEquals(Event.RCV_SYN, Classifier.classify(State.SYN_SENT, seg(SYN, 7, 0, 0), v));
    assertEquals(Event.RCV_OTHER, Classifier.classify(State.SYN_SENT, seg(ACK, 7, 1001, 0), v));
  }

  @Test
  void synSentTakesAnAckEchoingNoSynOfOursAsUnacceptable() {
    TcbView echoingNone = new TcbView() {
      public int iss() { return 1000; }
      public int irs() { return 0; }
      public int sndUna() { return 1000; }
      public int sndNxt() { return 1001; }
      public int rcvNxt() { return 0; }
      public long rcvWnd() { return 1000; }
      public long maxSndWnd() { return 0; }
      public boolean finSent() { return false; }
      public boolean pawsRejects(SegmentView s) { return false; }
      public boolean synSentTsEcrRejected(SegmentView s) { return true; }
      public boolean reopenable() { return false; }
    };
    // Linux tcp_rcv_synsent_state_process: PAWSACTIVEREJECTED comes before the RST check.
    assertEquals(Event.RCV_BAD_ACK, Classifier.classify(State.SYN_SENT, seg(SYN | ACK, 7, 1001, 0), echoingNone));
    assertEquals(Event.RCV_BAD_ACK, Classifier.classify(State.SYN_SENT, seg(RST | ACK, 0, 1001, 0), echoingNone));
    assertEquals(Event.RCV_RST_NO_ACK, Classifier.classify(State.SYN_SENT, seg(RST, 0, 0, 0), echoingNone));
    assertEquals(Event.RCV_SYN, Classifier.classify(State.SYN_SENT, seg(SYN, 7, 0, 0), echoingNone));
  }

  @Test
  void rstIsExactInWindowOrOutOfWindow() {
    assertEquals(Event.RCV_RST_EXACT, Classifier.classify(State.ESTABLISHED, seg(RST, 5001, 0, 0), EST));
    assertEquals(Event.RCV_RST_IN_WINDOW, Classifier.classify(State.ESTABLISHED, seg(RST, 5002, 0, 0), EST));
    assertEquals(Event.RCV_RST_OUT_OF_WINDOW, Classifier.classify(State.ESTABLISHED, seg(RST, 7001, 0, 0), EST));
    assertEquals(Event.RCV_RST_OUT_OF_WINDOW, Classifier.classify(State.ESTABLISHED, seg(RST, 5000, 0, 0), EST));
  }

  @Test
  void sequenceCheckComesBeforeSynAndAck() {
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.ESTABLISHED, seg(ACK, 4000, 1001, 10), EST));
    assertEquals(Event.RCV_SYN, Classifier.classify(State.ESTABLISHED, seg(SYN | ACK, 5001, 1001, 0), EST));
    assertEquals(Event.RCV_NO_ACK, Classifier.classify(State.ESTABLISHED, seg(0, 5001, 0, 10), EST));
  }

  /**
   * Linux (tcp_sequence, tcp_data_queue): a bare FIN at RCV.NXT is taken in a zero window, which
   * §3.10.7.4's test finds unacceptable; a FIN with text there, or one beyond RCV.NXT, is not.
   */
  @Test
  void aBareFinAtRcvNxtIsTakenInAZeroWindow() {
    View closed = new View(1000, 1001, 1101, 5001, 0, false);
    assertEquals(Event.RCV_FIN, Classifier.classify(State.ESTABLISHED, seg(ACK | FIN, 5001, 1001, 0), closed));
    assertEquals(Event.RCV_FIN, Classifier.classify(State.FIN_WAIT_2, seg(ACK | FIN, 5001, 1101, 0), closed));
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.ESTABLISHED, seg(ACK | FIN, 5001, 1001, 10), closed));
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.ESTABLISHED, seg(ACK | FIN, 5002, 1001, 0), closed));
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 1001, 1), closed));
    assertEquals(Event.RCV_DUP_ACK, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 1001, 0), closed));
  }

  @Test
  void pawsFailureIsUnacceptable() {
    TcbView paws = EST;
    TcbView rejecting = new TcbView() {
      public int iss() { return 1000; }
      public int irs() { return 5000; }
      public int sndUna() { return 1001; }
      public int sndNxt() { return 1101; }
      public int rcvNxt() { return 5001; }
      public long rcvWnd() { return 1000; }
      public long maxSndWnd() { return 100; }
      public boolean finSent() { return false; }
      public boolean pawsRejects(SegmentView s) { return true; }
      public boolean reopenable() { return false; }
    };
    assertEquals(Event.RCV_DATA, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 1001, 10), paws));
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 1001, 10), rejecting));
  }

  @Test
  void ackKindsInEstablished() {
    assertEquals(Event.RCV_ACK_AHEAD, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 1102, 0), EST));
    assertEquals(Event.RCV_DUP_ACK, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 1001, 0), EST));
    assertEquals(Event.RCV_ACK, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 1050, 0), EST));
    assertEquals(Event.RCV_DATA, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 1001, 10), EST));
    assertEquals(Event.RCV_FIN, Classifier.classify(State.ESTABLISHED, seg(ACK | FIN, 5001, 1001, 10), EST));
    // A FIN beyond a hole is not in order: it is data for the reassembler.
    assertEquals(Event.RCV_DATA, Classifier.classify(State.ESTABLISHED, seg(ACK | FIN, 5011, 1001, 10), EST));
  }

  @Test
  void anAckOlderThanMaxSndWndBelowSndUnaIsTooOld() {
    // RFC 5961 §5.2: acceptable is SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT (1001 - 100 = 901).
    assertEquals(Event.RCV_DUP_ACK, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 901, 0), EST));
    assertEquals(Event.RCV_ACK_TOO_OLD, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 900, 0), EST));
    // With text or a FIN too: the whole segment is too old, nothing of it is taken.
    assertEquals(Event.RCV_ACK_TOO_OLD, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 900, 10), EST));
    assertEquals(Event.RCV_ACK_TOO_OLD, Classifier.classify(State.ESTABLISHED, seg(ACK | FIN, 5001, 900, 0), EST));
    int farBack = 1001 - (1 << 30);
    assertEquals(Event.RCV_ACK_TOO_OLD, Classifier.classify(State.CLOSE_WAIT, seg(ACK, 5001, farBack, 0), EST));
    // Linux (tcp_ack): before SND.UNA is old before it is ahead, even half the sequence space away.
    int halfBack = 1001 - (1 << 31) + 1;
    int halfAhead = 1001 + (1 << 31) - 1;
    assertEquals(Event.RCV_ACK_TOO_OLD, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, halfBack, 0), EST));
    assertEquals(Event.RCV_ACK_AHEAD, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, halfAhead, 0), EST));
    // Nothing acknowledged yet (MAX.SND.WND bounded by it, as Linux): any ACK below SND.UNA.
    View fresh = new View(1000, 1001, 1101, 5001, 1000, false, false, 0);
    assertEquals(Event.RCV_ACK_TOO_OLD, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 1000, 0), fresh));
    assertEquals(Event.RCV_DUP_ACK, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 1001, 0), fresh));
  }

  @Test
  void synReceivedAcceptsOnlyAnAckOfItsSyn() {
    View v = new View(1000, 1000, 1001, 5001, 1000, false);
    assertEquals(Event.RCV_ACK, Classifier.classify(State.SYN_RECEIVED, seg(ACK, 5001, 1001, 0), v));
    assertEquals(Event.RCV_BAD_ACK, Classifier.classify(State.SYN_RECEIVED, seg(ACK, 5001, 1000, 0), v));
    assertEquals(Event.RCV_FIN, Classifier.classify(State.SYN_RECEIVED, seg(ACK | FIN, 5001, 1001, 0), v));
  }

  @Test
  void finWait1DistinguishesTheAckOfOurFin() {
    View v = new View(1000, 1001, 1102, 5001, 1000, true);
    assertEquals(Event.RCV_ACK_OF_FIN, Classifier.classify(State.FIN_WAIT_1, seg(ACK, 5001, 1102, 0), v));
    assertEquals(Event.RCV_ACK, Classifier.classify(State.FIN_WAIT_1, seg(ACK, 5001, 1101, 0), v));
    assertEquals(Event.RCV_FIN, Classifier.classify(State.FIN_WAIT_1, seg(ACK | FIN, 5001, 1101, 0), v));
    assertEquals(Event.RCV_FIN_ACK_OF_FIN, Classifier.classify(State.FIN_WAIT_1, seg(ACK | FIN, 5001, 1102, 0), v));
  }

  @Test
  void newTextAfterAHalfDuplexCloseIsDataAfterClose() {
    View open = new View(1000, 1001, 1102, 5001, 1000, true);
    TcbView closed = new TcbView() {
      public int iss() { return 1000; }
      public int irs() { return 5000; }
      public int sndUna() { return 1001; }
      public int sndNxt() { return 1102; }
      public int rcvNxt() { return 5001; }
      public long rcvWnd() { return 1000; }
      public long maxSndWnd() { return 100; }
      public boolean finSent() { return true; }
      public boolean pawsRejects(SegmentView s) { return false; }
      public boolean reopenable() { return false; }
      public boolean receiveShut() { return true; }
    };
    // §3.6.1 SHLD-3: only once the user's CLOSE ended its reading too.
    assertEquals(Event.RCV_DATA, Classifier.classify(State.FIN_WAIT_1, seg(ACK, 5001, 1101, 10), open));
    assertEquals(Event.RCV_DATA_AFTER_CLOSE, Classifier.classify(State.FIN_WAIT_1, seg(ACK, 5001, 1101, 10), closed));
    assertEquals(Event.RCV_DATA_AFTER_CLOSE, Classifier.classify(State.FIN_WAIT_1, seg(ACK, 5001, 1102, 10), closed));
    assertEquals(Event.RCV_DATA_AFTER_CLOSE, Classifier.classify(State.FIN_WAIT_2, seg(ACK | FIN, 5001, 1102, 10), closed));
    // Linux's test (tcp_rcv_state_process): the end less the FIN after RCV.NXT; a FIN in order is
    // not text, an out-of-order one is; text partly old still reaches beyond RCV.NXT.
    assertEquals(Event.RCV_FIN, Classifier.classify(State.FIN_WAIT_2, seg(ACK | FIN, 5001, 1102, 0), closed));
    assertEquals(Event.RCV_DATA_AFTER_CLOSE, Classifier.classify(State.FIN_WAIT_2, seg(ACK | FIN, 5011, 1102, 0), closed));
    assertEquals(Event.RCV_DATA_AFTER_CLOSE, Classifier.classify(State.FIN_WAIT_2, seg(ACK, 4991, 1102, 20), closed));
    assertEquals(Event.RCV_DUP_ACK, Classifier.classify(State.FIN_WAIT_2, seg(ACK, 5001, 1001, 0), closed));
    // The ACK checks come first (Linux's tcp_ack), and other states keep their kinds.
    assertEquals(Event.RCV_ACK_AHEAD, Classifier.classify(State.FIN_WAIT_2, seg(ACK, 5001, 1200, 10), closed));
    assertEquals(Event.RCV_DATA, Classifier.classify(State.ESTABLISHED, seg(ACK, 5001, 1101, 10), closed));
  }

  @Test
  void aRetransmittedFinCarryingTheAckOfOurFinLeavesClosing() {
    // Found by the two-stack property: the peer's FIN retransmission acked our FIN in CLOSING.
    View v = new View(1000, 1101, 1102, 5002, 1000, true);
    assertEquals(Event.RCV_ACK_OF_FIN, Classifier.classify(State.CLOSING, seg(ACK | FIN, 5001, 1102, 0), v));
    assertEquals(Event.RCV_ACK_OF_FIN, Classifier.classify(State.LAST_ACK, seg(ACK | FIN, 5001, 1102, 0), v));
    assertEquals(Event.RCV_FIN, Classifier.classify(State.CLOSING, seg(ACK | FIN, 5001, 1101, 0), v));
  }

  @Test
  void aRetransmittedFinAfterThePeersFinIsRecognised() {
    View v = new View(1000, 1102, 1102, 5002, 1000, true);
    assertEquals(Event.RCV_FIN, Classifier.classify(State.TIME_WAIT, seg(ACK | FIN, 5001, 1102, 0), v));
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.TIME_WAIT, seg(ACK, 4000, 1102, 0), v));
  }

  @Test
  void thePeersSynAgainInSynReceivedIsAnUnacceptableSegmentOfItsOwnKind() {
    View v = new View(1000, 1000, 1001, 5001, 1000, false);
    assertEquals(Event.RCV_RETRANSMITTED_SYN, Classifier.classify(State.SYN_RECEIVED, seg(SYN, 5000, 0, 0), v));
    // Other unacceptable segments, and the same SYN in another state, stay RCV_UNACCEPTABLE.
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.SYN_RECEIVED, seg(SYN, 4000, 0, 0), v));
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.SYN_RECEIVED, seg(SYN | ACK, 5000, 1001, 0), v));
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.ESTABLISHED, seg(SYN, 5000, 0, 0), EST));
  }

  /** {@code v} as the view of an application's socket that connected (an active opener). */
  record Active(View v) implements TcbView {
    public int iss() { return v.iss(); }
    public int irs() { return v.irs(); }
    public int sndUna() { return v.sndUna(); }
    public int sndNxt() { return v.sndNxt(); }
    public int rcvNxt() { return v.rcvNxt(); }
    public long rcvWnd() { return v.rcvWnd(); }
    public long maxSndWnd() { return v.maxSndWnd(); }
    public boolean finSent() { return v.finSent(); }
    public boolean pawsRejects(SegmentView seg) { return v.pawsRejects(seg); }
    public boolean reopenable() { return v.reopenable(); }
    public boolean activeOpener() { return true; }
  }

  /**
   * §3.5 Figure 8 line 6, Linux's tcp_validate_incoming step 4: after crossed SYNs an active
   * opener in SYN-RECEIVED takes the peer's SYN-ACK (SYN at RCV.NXT - 1, ACK = SND.NXT, nothing
   * else) as the ACK that establishes; §3.10.7.4's test alone finds it unacceptable, and so it
   * stays for a connection from LISTEN, or with any other ACK.
   */
  @Test
  void thePeersSynAckAfterCrossedSynsIsAnAcceptableAckForAnActiveOpener() {
    View passive = new View(1000, 1000, 1001, 5001, 1000, false);
    TcbView active = new Active(passive);
    assertEquals(Event.RCV_ACK, Classifier.classify(State.SYN_RECEIVED, seg(SYN | ACK, 5000, 1001, 0), active));
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.SYN_RECEIVED, seg(SYN | ACK, 5000, 1001, 0), passive));
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.SYN_RECEIVED, seg(SYN | ACK, 5000, 1000, 0), active));
    // With text or a FIN its end lies in the window: a SYN in the window, challenged (RFC 5961 §4).
    assertEquals(Event.RCV_SYN, Classifier.classify(State.SYN_RECEIVED, seg(SYN | ACK, 5000, 1001, 10), active));
    assertEquals(Event.RCV_SYN, Classifier.classify(State.SYN_RECEIVED, seg(SYN | ACK | FIN, 5000, 1001, 0), active));
    assertEquals(Event.RCV_UNACCEPTABLE, Classifier.classify(State.ESTABLISHED, seg(SYN | ACK, 5000, 1001, 0), active));
  }

  @Test
  void theSynAgainWithTextNotTakenIsStillTheSynAgain() {
    // RFC 7413 §4.2.2: without a valid cookie the SYN's text was dropped, RCV.NXT = IRS + 1, so
    // the same SYN again overlaps the window; Linux (tcp_check_req) still resends the SYN-ACK.
    View v = new View(1000, 1000, 1001, 5001, 1000, false);
    assertTrue(Classifier.acceptable(5000, 11, 5001, 1000), "fixture: the text lies in the window");
    assertEquals(Event.RCV_RETRANSMITTED_SYN, Classifier.classify(State.SYN_RECEIVED, seg(SYN, 5000, 0, 10), v));
    // A SYN with text elsewhere in the window is a new SYN.
    assertEquals(Event.RCV_SYN, Classifier.classify(State.SYN_RECEIVED, seg(SYN, 5001, 0, 10), v));
  }

  @Test
  void aNewSynInTimeWaitReopensOnlyWhereTheConnectionIsReopenable() {
    View closed = new View(1000, 1102, 1102, 5002, 1000, true, false);
    View reopenable = new View(1000, 1102, 1102, 5002, 1000, true, true);
    assertEquals(Event.RCV_NEW_SYN, Classifier.classify(State.TIME_WAIT, seg(SYN, 9000, 0, 0), reopenable));
    // No listener takes it, or a socket still holds the connection: a SYN like any other.
    assertEquals(Event.RCV_SYN, Classifier.classify(State.TIME_WAIT, seg(SYN, 9000, 0, 0), closed));
    // Inside the old sequence space it never reopens.
    assertEquals(Event.RCV_SYN, Classifier.classify(State.TIME_WAIT, seg(SYN, 5002, 0, 0), reopenable));
  }
}
