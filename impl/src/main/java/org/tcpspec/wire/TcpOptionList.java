package org.tcpspec.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The option list of the TCP header a {@link SegmentReader} wrapped (RFC 9293 §3.2), read where it
 * lies. One per reader, over the reader's TCP view. The timestamps option and the first SACK
 * option's blocks are located once per wrap ({@link #scan}), since the data path needs them for
 * every segment; the other options are decoded only when {@link #decodeAll()} is asked for
 * (allocating, for the handshake and traces).
 *
 * <p>Decisions, each where the RFCs leave room: EOL ends the list and is not recorded; the bytes
 * after it up to the data offset are padding and are not checked to be zero. An option length
 * below 2, a missing length byte, or an option running past the data offset ends the list there,
 * the options before it kept and the segment too (MUST-7: "be prepared to handle an illegal option
 * length (e.g., zero)"; Linux's {@code tcp_parse_options} stops the same way and processes the
 * segment). A known kind with a length that kind does not have (MSS not 4, window scale not 3,
 * SACK-permitted not 2, SACK not 2 + 8n with n in 1..4, timestamps not 10) is kept as {@link
 * TcpOption.Unknown}, so the stack ignores it as MUST-6 asks for options it cannot use; Linux
 * ignores these too ({@code tcp_parse_options} checks each {@code opsize}). Unknown kinds become
 * {@link TcpOption.Unknown} with their bytes.
 */
final class TcpOptionList {

  private final TcpHeader tcp;
  /** Where {@link #scan} stopped reading the option list: EOL, a bad length, or the data offset. */
  private int optionsEnd;
  private boolean timestamp;
  private int tsVal;
  private int tsEcr;
  /** Offset in the TCP header of the first well-formed SACK option's blocks, and their count. */
  private int sackAt;
  private int sackCount;

  /** The list of whatever {@code tcp} is wrapped over at each {@link #scan}. */
  TcpOptionList(TcpHeader tcp) {
    this.tcp = tcp;
  }

  /**
   * Reads the option list between byte 20 and {@code headerLength}, the data offset; finds the
   * timestamps and where the list ends, and the first SACK option's blocks. Reading stops at an
   * EOL, and, as Linux's tcp_parse_options, at an option whose length byte is missing, is below 2
   * ("silly options") or runs past the data offset ("don't parse partial options"): the options
   * before it are kept and so is the segment (RFC 9293 MUST-7, "be prepared to handle an illegal
   * option length (e.g., zero)"). Never fails.
   */
  void scan(int headerLength) {
    timestamp = false;
    tsVal = 0;
    tsEcr = 0;
    sackCount = 0;
    int end = headerLength;
    int i = TcpHeader.OPTIONS;
    optionsEnd = end;
    while (i < end) {
      int kind = tcp.byteAt(i);
      if (kind == TcpOption.KIND_EOL) {
        optionsEnd = i;
        return;
      }
      if (kind == TcpOption.KIND_NOP) {
        i++;
        continue;
      }
      int len = i + 1 < end ? tcp.byteAt(i + 1) : 0;
      if (len < 2 || i + len > end) {
        optionsEnd = i;
        return;
      }
      if (kind == TcpOption.KIND_TIMESTAMP && !timestamp && TcpOption.isDefinedLength(kind, len)) {
        timestamp = true;
        tsVal = tcp.u32(i + 2);
        tsEcr = tcp.u32(i + 6);
      }
      if (kind == TcpOption.KIND_SACK && sackCount == 0 && TcpOption.isDefinedLength(kind, len)) {
        sackAt = i + 2;
        sackCount = (len - 2) / 8;
      }
      i += len;
    }
  }

  boolean hasTimestamp() {
    return timestamp;
  }

  int tsVal() {
    return tsVal;
  }

  int tsEcr() {
    return tsEcr;
  }

  int sackBlockCount() {
    return sackCount;
  }

  int sackLeft(int i) {
    Objects.checkIndex(i, sackCount);
    return tcp.u32(sackAt + 8 * i);
  }

  int sackRight(int i) {
    Objects.checkIndex(i, sackCount);
    return tcp.u32(sackAt + 8 * i + 4);
  }

  /** The bytes from byte 20 up to where {@link #scan} stopped reading. */
  int length() {
    return optionsEnd - TcpHeader.OPTIONS;
  }

  /** The options in wire order up to where {@link #scan} stopped reading, so decoding cannot fail. */
  List<TcpOption> decodeAll() {
    List<TcpOption> out = new ArrayList<>();
    int i = TcpHeader.OPTIONS;
    while (i < optionsEnd) {
      int kind = tcp.byteAt(i);
      if (kind == TcpOption.KIND_NOP) {
        out.add(new TcpOption.Nop());
        i++;
        continue;
      }
      int len = tcp.byteAt(i + 1);
      out.add(decode(kind, i, len));
      i += len;
    }
    return out;
  }

  /** A known kind with its defined length, else the raw bytes as {@link TcpOption.Unknown}. */
  private TcpOption decode(int kind, int at, int len) {
    int data = at + 2;
    if (!TcpOption.isDefinedLength(kind, len)) {
      byte[] raw = new byte[len - 2];
      tcp.copyOut(data, raw, 0, raw.length);
      return new TcpOption.Unknown(kind, raw);
    }
    return switch (kind) {
      case TcpOption.KIND_MSS -> new TcpOption.Mss(tcp.u16(data));
      case TcpOption.KIND_WSCALE -> new TcpOption.WindowScale(tcp.u8(data));
      case TcpOption.KIND_SACK_PERMITTED -> new TcpOption.SackPermitted();
      case TcpOption.KIND_SACK -> {
        List<TcpOption.SackBlock> blocks = new ArrayList<>();
        for (int b = data; b < at + len; b += 8) {
          blocks.add(new TcpOption.SackBlock(tcp.u32(b), tcp.u32(b + 4)));
        }
        yield new TcpOption.Sack(blocks);
      }
      // The one kind left that isDefinedLength accepts: KIND_TIMESTAMP.
      default -> new TcpOption.Timestamp(tcp.u32(data), tcp.u32(data + 4));
    };
  }

  /**
   * Whether the list may hold an option of {@code type}: false only for a kind this class decodes
   * that is not in the raw bytes, so that asking for an option the segment lacks allocates nothing.
   */
  boolean mayHold(Class<? extends TcpOption> type) {
    int kind = kindOf(type);
    return kind < 0 || hasKind(kind);
  }

  private static int kindOf(Class<?> type) {
    if (type == TcpOption.Mss.class) return TcpOption.KIND_MSS;
    if (type == TcpOption.WindowScale.class) return TcpOption.KIND_WSCALE;
    if (type == TcpOption.SackPermitted.class) return TcpOption.KIND_SACK_PERMITTED;
    if (type == TcpOption.Sack.class) return TcpOption.KIND_SACK;
    if (type == TcpOption.Timestamp.class) return TcpOption.KIND_TIMESTAMP;
    return -1;
  }

  /** Whether an option of this kind (any length) is in the list {@link #scan} read. */
  private boolean hasKind(int wanted) {
    int i = TcpHeader.OPTIONS;
    while (i < optionsEnd) {
      int kind = tcp.byteAt(i);
      if (kind == wanted) return true;
      i += kind == TcpOption.KIND_NOP ? 1 : tcp.byteAt(i + 1);
    }
    return false;
  }
}
