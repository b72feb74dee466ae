package org.tcpspec.fsm;

import org.tcpspec.wire.SegmentView;

/**
 * The TCB variables the classifier reads, under their RFC 9293 §3.3.1 names. Implemented by the
 * TCB; the fsm package never writes through it.
 */
public interface TcbView {
  int iss();

  int sndUna();

  int sndNxt();

  int rcvNxt();

  /** RCV.WND in bytes (already unscaled). */
  long rcvWnd();

  /** Whether our FIN has been sent, so that SND.NXT - 1 is its sequence number. */
  boolean finSent();

  /** RFC 7323 §5.3 PAWS: whether the segment's timestamp is older than TS.Recent. */
  boolean pawsRejects(SegmentView seg);

  /**
   * Whether timestamps are on and the segment's TSval is newer than TS.Recent (RFC 6191 §2); a
   * view without timestamps says no.
   */
  default boolean timestampNewer(SegmentView seg) {
    return false;
  }
}
