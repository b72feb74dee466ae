package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.ge;
import static org.tcpspec.wire.SeqNum.lt;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.tcb.SackScoreboard;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpOption;

/**
 * RFC 6675's conservative SACK-based loss recovery: a scoreboard of what the peer SACKed, entry on
 * the third duplicate ACK or IsLost(SND.UNA), and on each ACK in recovery the holes retransmitted
 * (NextSeg rules 1 and 3) while the pipe estimate leaves room in cwnd; cwnd stays at ssthresh
 * during recovery (no inflation by duplicate ACKs, no deflation by partial ACKs). Limited Transmit
 * (RFC 3042) before, and after a timeout each new ACK below the flight of the timeout retransmits
 * the lost holes, as {@link NewRenoRecovery} resends one.
 *
 * <p>SPEC-GAP: NextSeg rule 4 (the rescue retransmission) is not done, and a retransmission
 * timeout resends the head only (SND.NXT never moves back).
 */
final class SackRecovery implements LossRecovery {
  /** RFC 6675 §2 DupThresh, RFC 5681 §3.2's third duplicate ACK. */
  static final int DUP_THRESH = SackScoreboard.DUP_THRESH;

  private final Sender sender;
  private final Tcb tcb;
  private final CongestionControl cc;
  private final int mss;
  private final SackScoreboard scoreboard = new SackScoreboard();
  /** RFC 6675 HighRxt: the end of the highest retransmission. */
  private int highRxt;
  private int dupAcks;
  private boolean inRecovery;
  /** After a timeout, until {@code recover} is acknowledged. */
  private boolean afterTimeout;
  /** RFC 6675 RecoveryPoint. */
  private int recover;

  SackRecovery(Sender sender, Tcb tcb, CongestionControl cc) {
    this.sender = sender;
    this.tcb = tcb;
    this.cc = cc;
    this.mss = Math.max(1, tcb.sndMss);
    this.highRxt = tcb.sndUna;
  }

  /** RFC 6675 §4 Update() (RFC 2018 §3: the blocks the ACK carries). */
  @Override
  public boolean sacked(SegmentView ack, int sndUna) {
    var sack = ack.option(TcpOption.Sack.class);
    return sack.isPresent() && scoreboard.update(sndUna, tcb.sndNxt, sack.get().blocks());
  }

  /** In recovery cwnd limits the pipe estimate (RFC 6675 §5), otherwise the flight (and RFC 3042). */
  @Override
  public long sendRoom() {
    if (inRecovery) return cc.cwnd() - pipe();
    long limit = afterTimeout ? cc.cwnd() : cc.cwnd() + (long) Math.min(dupAcks, DUP_THRESH - 1) * mss;
    return limit - tcb.inFlight();
  }

  @Override
  public void onNewAck(int ack, long ackedBytes) {
    scoreboard.acked(ack);
    if (lt(highRxt, ack)) highRxt = ack;
    dupAcks = 0;
    if (inRecovery) {
      if (ge(ack, recover)) {
        cc.cwnd(cc.ssthresh());
        inRecovery = false;
        return;
      }
      retransmitLostHoles(); // RFC 6675 §5 step (C) on a partial ACK.
      return;
    }
    boolean nextHoles = afterTimeout && !ge(ack, recover);
    if (!nextHoles) afterTimeout = false;
    cc.onAck(ackedBytes);
    if (nextHoles) retransmitLostHoles();
  }

  @Override
  public void onDuplicateAck() {
    if (inRecovery) {
      retransmitLostHoles();
      return;
    }
    // The third duplicate ACK (not after a timeout), or RFC 6675 §5: enough SACKed above the head
    // to call it lost before the third.
    boolean third = ++dupAcks == DUP_THRESH && !afterTimeout;
    if (!third && !scoreboard.isLost(tcb.sndUna, tcb.sndMss)) return;
    // RFC 6675 §5 steps 4.1-4.2.
    recover = tcb.sndNxt;
    cc.cwnd(cc.onLoss(tcb.inFlight()));
    inRecovery = true;
    // Step 4.3: fast retransmit of the head, then the lost holes.
    highRxt = tcb.sndUna;
    sender.retransmitHead();
    retransmitLostHoles();
  }

  @Override
  public void onRetransmitTimeout() {
    cc.onLoss(tcb.inFlight());
    cc.cwnd(mss); // RFC 5681 §3.1: loss window.
    dupAcks = 0;
    inRecovery = false;
    afterTimeout = true;
    recover = tcb.sndNxt;
  }

  @Override
  public void onRetransmitted(int end) {
    if (lt(highRxt, end)) highRxt = end;
  }

  @Override
  public boolean inRecovery() {
    return inRecovery;
  }

  /**
   * RFC 6675 §5 step (C): while cwnd - pipe >= 1 SMSS, retransmit the next lost hole (NextSeg rule
   * 1). New data (rule 2) is the sender's output, which measures room by the same pipe in
   * recovery; only when there is none, a hole not yet deemed lost goes (rule 3).
   */
  private void retransmitLostHoles() {
    for (int i = 0; i < 64; i++) {
      if (cc.cwnd() - pipe() < tcb.sndMss) return;
      int from = lt(highRxt, tcb.sndUna) ? tcb.sndUna : highRxt;
      int[] hole = scoreboard.nextHole(from, tcb.sndMss, true);
      boolean noNewData = tcb.sendBuffer.size() <= distance(tcb.sndUna, tcb.sndNxt) - (tcb.finSent ? 1 : 0);
      if (hole == null && noNewData) hole = scoreboard.nextHole(from, tcb.sndMss, false);
      if (hole == null) return;
      sender.retransmitRange(hole[0], hole[1]);
    }
  }

  /** RFC 6675 §4 SetPipe(). */
  private long pipe() {
    return scoreboard.pipe(tcb.sndUna, tcb.sndNxt, highRxt, tcb.sndMss);
  }
}
