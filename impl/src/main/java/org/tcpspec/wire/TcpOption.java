package org.tcpspec.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;

/**
 * One TCP option (RFC 9293 §3.2, RFC 7323, RFC 2018). Known kinds are parsed into their fields;
 * any other kind is kept as {@link Unknown} with its raw bytes so it survives a parse/emit round
 * trip (an "open enum", as Netty does for wire values).
 */
public sealed interface TcpOption {

  int KIND_EOL = 0;
  int KIND_NOP = 1;
  int KIND_MSS = 2;
  int KIND_WSCALE = 3;
  int KIND_SACK_PERMITTED = 4;
  int KIND_SACK = 5;
  int KIND_TIMESTAMP = 8;

  /**
   * Whether {@code length} (kind and length bytes included) is the length RFC 9293 §3.2, RFC 7323
   * or RFC 2018 defines for {@code kind}. A known kind with any other length is not that option;
   * the parser keeps it as {@link Unknown}.
   */
  static boolean isDefinedLength(int kind, int length) {
    return switch (kind) {
      case KIND_MSS -> length == 4;
      case KIND_WSCALE -> length == 3;
      case KIND_SACK_PERMITTED -> length == 2;
      case KIND_SACK -> Sack.isValidLength(length);
      case KIND_TIMESTAMP -> length == 10;
      default -> false;
    };
  }

  /**
   * The list in packetdrill's notation, as its {@code tcp_options_to_string.c} prints it: {@code
   * mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7} (without the angle brackets). packetdrill has
   * no syntax for other kinds; they print as {@code kind 254 len 4 abcd}.
   */
  static String toPacketdrill(List<TcpOption> options) {
    StringJoiner j = new StringJoiner(",");
    for (TcpOption o : options) {
      j.add(switch (o) {
        case Eol _ -> "eol";
        case Nop _ -> "nop";
        case Mss m -> "mss " + m.mss();
        case WindowScale w -> "wscale " + w.shift();
        case SackPermitted _ -> "sackOK";
        case Sack s -> {
          StringJoiner blocks = new StringJoiner(" ", "sack ", "");
          for (SackBlock b : s.blocks()) {
            blocks.add(Integer.toUnsignedString(b.left()) + ":" + Integer.toUnsignedString(b.right()));
          }
          yield blocks.toString();
        }
        case Timestamp t -> "TS val " + Integer.toUnsignedString(t.tsVal())
            + " ecr " + Integer.toUnsignedString(t.tsEcr());
        case Unknown u -> "kind " + u.kind() + " len " + u.wireLength()
            + (u.data.length == 0 ? "" : " " + HexFormat.of().formatHex(u.data));
      });
    }
    return j.toString();
  }

  /** The option kind byte. */
  int kind();

  /** Bytes this option takes on the wire, kind and length bytes included. */
  int wireLength();

  /** End of option list (kind 0, one byte). */
  record Eol() implements TcpOption {
    public int kind() { return KIND_EOL; }
    public int wireLength() { return 1; }
  }

  /** No-operation (kind 1, one byte), used for alignment. */
  record Nop() implements TcpOption {
    public int kind() { return KIND_NOP; }
    public int wireLength() { return 1; }
  }

  /** Maximum segment size (kind 2, length 4), RFC 9293 §3.7.1; value 0..65535. */
  record Mss(int mss) implements TcpOption {
    public Mss {
      if (mss < 0 || mss > 0xFFFF) throw new IllegalArgumentException("mss out of range: " + mss);
    }
    public int kind() { return KIND_MSS; }
    public int wireLength() { return 4; }
  }

  /** Window scale (kind 3, length 3), RFC 7323 §2; shift 0..255 on the wire (14 is the max used). */
  record WindowScale(int shift) implements TcpOption {
    public WindowScale {
      if (shift < 0 || shift > 0xFF) throw new IllegalArgumentException("wscale out of range: " + shift);
    }
    public int kind() { return KIND_WSCALE; }
    public int wireLength() { return 3; }
  }

  /** SACK permitted (kind 4, length 2), RFC 2018 §2. */
  record SackPermitted() implements TcpOption {
    public int kind() { return KIND_SACK_PERMITTED; }
    public int wireLength() { return 2; }
  }

  /** SACK blocks (kind 5, length 2 + 8n), RFC 2018 §3; at most 4 blocks fit in 40 bytes. */
  record Sack(List<SackBlock> blocks) implements TcpOption {
    public Sack {
      blocks = List.copyOf(blocks);
      if (blocks.isEmpty() || blocks.size() > 4) {
        throw new IllegalArgumentException("sack needs 1..4 blocks, got " + blocks.size());
      }
    }
    public int kind() { return KIND_SACK; }
    public int wireLength() { return 2 + 8 * blocks.size(); }
    /** 2 + 8n bytes with n in 1..4. */
    static boolean isValidLength(int length) {
      return length >= 10 && length <= 34 && (length - 2) % 8 == 0;
    }
  }

  /** One SACK block: [left, right) in sequence space. */
  record SackBlock(int left, int right) {}

  /** Timestamps (kind 8, length 10), RFC 7323 §3: TSval and TSecr as unsigned 32-bit ints. */
  record Timestamp(int tsVal, int tsEcr) implements TcpOption {
    public int kind() { return KIND_TIMESTAMP; }
    public int wireLength() { return 10; }
  }

  /**
   * Any other kind, kept as it was on the wire: {@code data} is what follows the length byte
   * (length = 2 + data.length). A known kind is allowed only with a length that kind does not
   * have (e.g. an MSS option of length 3), which is how the parser keeps such an option; with
   * the defined length it would be the known option, and would not survive an emit/parse round
   * trip as {@code Unknown}.
   */
  record Unknown(int kind, byte[] data) implements TcpOption {
    public Unknown {
      if (kind < 2 || kind > 0xFF) throw new IllegalArgumentException("unknown option kind out of range: " + kind);
      if (data.length > 38) throw new IllegalArgumentException("option data too long: " + data.length);
      if (isDefinedLength(kind, 2 + data.length)) {
        throw new IllegalArgumentException("kind " + kind + " with length " + (2 + data.length)
            + " is a known option, not an unknown one");
      }
      data = data.clone();
    }
    @Override public byte[] data() { return data.clone(); }
    public int wireLength() { return 2 + data.length; }
    @Override public boolean equals(Object o) {
      return o instanceof Unknown u && u.kind == kind && Arrays.equals(u.data, data);
    }
    @Override public int hashCode() { return 31 * kind + Arrays.hashCode(data); }
    @Override public String toString() { return "Unknown[kind=" + kind + ", len=" + wireLength() + "]"; }
  }
}
