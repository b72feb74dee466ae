package org.tcpspec.tcb;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.max;
import static org.tcpspec.wire.SeqNum.min;
import static org.tcpspec.wire.SeqNum.plus;

import java.util.ArrayList;
import java.util.List;
import org.tcpspec.wire.TcpOption.SackBlock;

/**
 * The sender's SACK scoreboard of RFC 6675 §3–§4: which octets above SND.UNA the peer reported
 * holding (RFC 2018 §3), as disjoint ranges in sequence order, and the operations recovery asks
 * of it (IsLost, SetPipe, the holes NextSeg retransmits). Sequence numbers are compared with
 * {@code SeqNum}; every range lies in (SND.UNA, SND.NXT], so comparisons never cross a wrap.
 */
public final class SackScoreboard {
  /** RFC 6675 §2 DupThresh. */
  public static final int DUP_THRESH = 3;

  /** Disjoint [left, right) ranges, ascending. */
  private final List<int[]> ranges = new ArrayList<>();

  /**
   * RFC 6675 §4 Update(): records the blocks of one ACK that lie within [SND.UNA, SND.NXT] (others,
   * D-SACKs below SND.UNA included, are ignored as RFC 2018 §5 allows), then forgets what SND.UNA
   * passed. Returns true when some block reported octets not SACKed before.
   */
  public boolean update(int sndUna, int sndNxt, List<SackBlock> blocks) {
    boolean news = false;
    for (SackBlock b : blocks) {
      int left = b.left();
      int right = b.right();
      if (!lt(left, right) || !gt(right, sndUna) || gt(right, sndNxt) || lt(left, sndUna)) continue;
      news |= add(left, right);
    }
    acked(sndUna);
    return news;
  }

  /** SND.UNA moved: ranges at or below it are no longer outstanding. */
  public void acked(int sndUna) {
    while (!ranges.isEmpty() && le(ranges.getFirst()[1], sndUna)) ranges.removeFirst();
    if (!ranges.isEmpty() && lt(ranges.getFirst()[0], sndUna)) ranges.getFirst()[0] = sndUna;
  }

  public void clear() {
    ranges.clear();
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** The right edge of the highest SACKed range; only when not empty. */
  public int highestSacked() {
    return ranges.getLast()[1];
  }

  public boolean isSacked(int seq) {
    for (int[] r : ranges) if (le(r[0], seq) && lt(seq, r[1])) return true;
    return false;
  }

  /** Octets SACKed above {@code seq}. */
  public long sackedAbove(int seq) {
    long n = 0;
    for (int[] r : ranges) {
      if (gt(r[1], seq)) n += Integer.toUnsignedLong(distance(max(r[0], plus(seq, 1)), r[1]));
    }
    return n;
  }

  /**
   * RFC 6675 §4 IsLost(SeqNum): DupThresh discontiguous SACKed sequences above it, or more than
   * (DupThresh - 1) * SMSS octets SACKed above it.
   */
  public boolean isLost(int seq, int smss) {
    int discontiguous = 0;
    for (int[] r : ranges) if (gt(r[0], seq)) discontiguous++;
    return discontiguous >= DUP_THRESH || sackedAbove(seq) > (long) (DUP_THRESH - 1) * smss;
  }

  /**
   * RFC 6675 §4 SetPipe(): octets the sender believes in the network between SND.UNA and SND.NXT,
   * segment by segment of {@code smss}: an unSACKed segment counts unless lost, and once more when
   * retransmitted (below HighRxt).
   */
  public long pipe(int sndUna, int sndNxt, int highRxt, int smss) {
    long pipe = 0;
    int s = sndUna;
    while (lt(s, sndNxt)) {
      int len = (int) Math.min(smss, Integer.toUnsignedLong(distance(s, sndNxt)));
      if (!isSacked(s)) {
        if (!isLost(s, smss)) pipe += len;
        if (lt(s, highRxt)) pipe += len;
      }
      s = plus(s, len);
    }
    return pipe;
  }

  /**
   * RFC 6675 §4 NextSeg() rule 1 ({@code lostOnly}) or rule 3: the first unSACKed segment at or
   * above {@code from} (HighRxt or SND.UNA) and below the highest SACKed octet, that IsLost for
   * rule 1; its start and length (at most {@code smss}, ending at the next SACKed range), or null
   * when there is none.
   */
  public int[] nextHole(int from, int smss, boolean lostOnly) {
    if (ranges.isEmpty()) return null;
    int s = from;
    int highest = highestSacked();
    while (lt(s, highest)) {
      int[] covering = covering(s);
      if (covering != null) {
        s = covering[1];
        continue;
      }
      int end = min(plus(s, smss), nextSackedStart(s));
      if (!lostOnly || isLost(s, smss)) return new int[] {s, distance(s, end)};
      s = end;
    }
    return null;
  }

  private int[] covering(int seq) {
    for (int[] r : ranges) if (le(r[0], seq) && lt(seq, r[1])) return r;
    return null;
  }

  private int nextSackedStart(int seq) {
    for (int[] r : ranges) if (gt(r[0], seq)) return r[0];
    return highestSacked();
  }

  /** Merges [left, right) in; true when it covered octets not SACKed before. */
  private boolean add(int left, int right) {
    long before = total();
    int i = 0;
    while (i < ranges.size() && lt(ranges.get(i)[1], left)) i++;
    int l = left;
    int r = right;
    while (i < ranges.size() && le(ranges.get(i)[0], r)) {
      l = min(l, ranges.get(i)[0]);
      r = max(r, ranges.get(i)[1]);
      ranges.remove(i);
    }
    ranges.add(i, new int[] {l, r});
    return total() != before;
  }

  private long total() {
    long n = 0;
    for (int[] r : ranges) n += Integer.toUnsignedLong(distance(r[0], r[1]));
    return n;
  }
}
