package org.tcpspec.stack;

import java.util.OptionalInt;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.SeqNum;
import org.tcpspec.wire.TcpFlags;

/**
 * The urgent mechanism of one connection (RFC 9293 §3.8.5, MUST-30 to MUST-33, MUST-62), both
 * directions, as Linux runs it without SO_OOBINLINE (the application's only choice here).
 *
 * <p>Sending: send(MSG_OOB) sets the urgent pointer, SND.UP, to the sequence number after the
 * data written so far (Linux tcp_mark_urg: snd_up = write_seq), so every octet before it is
 * urgent (MUST-31) and the pointer points to the octet after the urgent data (MUST-62). Every
 * segment we send whose sequence number lies before SND.UP carries URG and SND.UP - SEG.SEQ (Linux
 * tcp_options_write via tcp_transmit_skb, which caps the offset at 0xFFFF), until SND.UNA reaches
 * SND.UP (tcp_urg_mode: snd_up != snd_una).
 *
 * <p>Receiving: the octet before the pointer of an arriving URG segment is the out-of-band octet
 * (Linux tcp_check_urg; RFC 793's reading, tcp_stdurg 0): once it arrives it is held aside for
 * recv(MSG_OOB) (tcp_urg) and poll reports POLLPRI (MUST-32, MUST-33); reads stop before it and
 * step over it (tcp_recvmsg_locked's urg_hole), or, with SO_OOBINLINE, read it as part of the stream. A pointer is taken only when it lies ahead of what
 * was received and of the pointer before (RFC 9293 §3.10.7.4 sixth: RCV.UP = max(RCV.UP, SEG.UP)).
 */
final class UrgentData {
  /** Linux's urg_data states: none, announced but not arrived, arrived, read by recv(MSG_OOB). */
  private enum Received { NONE, NOT_YET, VALID, READ }

  private boolean sending;
  private int sndUp;

  private Received received = Received.NONE;
  /** The sequence number of the out-of-band octet (Linux urg_seq). */
  private int rcvUrgentSeq;
  private int rcvUrgentByte;
  /** In-order octets readable before the out-of-band octet, from the application's read position. */
  private long bytesBeforeMark;

  // ---------------------------------------------------------------- sending

  /** send(MSG_OOB) wrote up to (not including) {@code writeSeq}. */
  void markSend(int writeSeq) {
    sending = true;
    sndUp = writeSeq;
  }

  /** Urgent mode: urgent data written and not yet acknowledged (Linux tcp_urg_mode). */
  boolean sendingUrgent() {
    return sending;
  }

  /** The urgent pointer field of a segment starting at {@code seq}, or -1 for none (no URG). */
  int pointerFor(int seq) {
    if (!sending || !SeqNum.lt(seq, sndUp)) return -1;
    return (int) Math.min(0xFFFF, SeqNum.unsigned(SeqNum.distance(seq, sndUp)));
  }

  /** SND.UNA moved: urgent mode ends once the urgent data is acknowledged. */
  void acked(int sndUna) {
    if (sending && !SeqNum.lt(sndUna, sndUp)) sending = false;
  }

  // ---------------------------------------------------------------- receiving

  /**
   * A segment carrying text arrives, before its text is queued: {@code rcvNxt} and {@code
   * readable} are the receiver's before it, so RCV.NXT - readable is the application's read position.
   */
  void arrived(SegmentView seg, int rcvNxt, int readable) {
    int dataSeq = SeqNum.plus(seg.seq(), seg.has(TcpFlags.SYN) ? 1 : 0);
    if (seg.has(TcpFlags.URG) && seg.urgentPointer() != 0) {
      int ptr = SeqNum.plus(seg.seq(), seg.urgentPointer() - 1);
      int readSeq = SeqNum.plus(rcvNxt, -readable);
      boolean ahead = !SeqNum.lt(ptr, rcvNxt) && !SeqNum.lt(ptr, readSeq);
      boolean newer = received == Received.NONE || SeqNum.gt(ptr, rcvUrgentSeq);
      if (ahead && newer) {
        received = Received.NOT_YET;
        rcvUrgentSeq = ptr;
        bytesBeforeMark = SeqNum.unsigned(SeqNum.distance(readSeq, ptr));
      }
    }
    if (received == Received.NOT_YET) {
      long at = SeqNum.unsigned(SeqNum.distance(dataSeq, rcvUrgentSeq));
      if (SeqNum.ge(rcvUrgentSeq, dataSeq) && at < seg.payloadLength()) {
        byte[] one = new byte[1];
        seg.copyPayload((int) at, one, 0, 1);
        rcvUrgentByte = one[0] & 0xFF;
        received = Received.VALID;
      }
    }
  }

  /** Whether the out-of-band octet waits for recv(MSG_OOB) (POLLPRI). */
  boolean readable() {
    return received == Received.VALID;
  }

  /** Whether urgent data was announced and its octet has not arrived yet (recv(MSG_OOB): EAGAIN). */
  boolean announced() {
    return received == Received.NOT_YET;
  }

  /** recv(MSG_OOB): the out-of-band octet, taken unless {@code peek}; empty when none waits. */
  OptionalInt take(boolean peek) {
    if (received != Received.VALID) return OptionalInt.empty();
    if (!peek) received = Received.READ;
    return OptionalInt.of(rcvUrgentByte);
  }

  /**
   * How many of {@code len} octets a read may take: it stops before the out-of-band octet (Linux
   * tcp_recvmsg_locked). On the octet itself: none, since a read steps over it first (see {@link
   * #atMark}), unless {@code inline} (SO_OOBINLINE), where it is part of the stream.
   */
  int readLimit(int len, boolean inline) {
    if (received == Received.NONE) return len;
    if (bytesBeforeMark == 0) return inline ? len : 0;
    return (int) Math.min(len, bytesBeforeMark);
  }

  /**
   * The octets before the out-of-band octet once it arrived, until a read passes it (Linux tcp_inq:
   * urg_seq - copied_seq while urg_seq lies in [copied_seq, RCV.NXT)); -1 otherwise.
   */
  long unreadBeforeMark() {
    return (received == Received.VALID || received == Received.READ) && bytesBeforeMark >= 0 ? bytesBeforeMark : -1;
  }

  /** Whether the next octet to read is the out-of-band one, which a read steps over. */
  boolean atMark() {
    return received != Received.NONE && bytesBeforeMark == 0;
  }

  /** The application consumed {@code n} octets (the out-of-band octet too, when it stepped over it). */
  void consumed(int n) {
    if (received == Received.NONE) return;
    bytesBeforeMark -= n;
    // Linux: once the read position passes urg_seq, urg_data is cleared.
    if (bytesBeforeMark < 0) received = Received.NONE;
  }
}
