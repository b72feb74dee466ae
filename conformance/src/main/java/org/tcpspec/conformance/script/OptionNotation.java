package org.tcpspec.conformance.script;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.tcpspec.wire.TcpOption;

/**
 * TCP options in packetdrill's script notation ({@code <mss 1460,sackOK,TS val 100 ecr 0>}), as
 * its tcp_options_to_string.c prints them: the one formatter of the runner's failure messages, the
 * report's ladders and the scripts the differential tester writes. Sequence numbers in SACK blocks
 * and TS values are printed as given; callers that print in script space map them first.
 */
public final class OptionNotation {
  /** Option kinds packetdrill names without a parsed form of their own (its tcp.h). */
  static final int KIND_MD5 = 19;
  static final int KIND_FASTOPEN = 34;
  static final int KIND_EXPERIMENTAL = 254;
  static final int KIND_ACCECN0 = 172;
  static final int KIND_ACCECN1 = 174;
  /** AccECN field labels in each option's order (tcp_options_to_string.c, RFC 9768 §3.2.3). */
  private static final List<String> ACCECN0_FIELDS = List.of("e0b", "ceb", "e1b");
  private static final List<String> ACCECN1_FIELDS = List.of("e1b", "ceb", "e0b");

  private OptionNotation() {}

  /** {@code <mss 1460,nop,...>}. */
  public static String show(List<TcpOption> options) {
    return "<" + String.join(",", options.stream().map(OptionNotation::show).toList()) + ">";
  }

  /**
   * The options as a script line writes them, or empty when one of them has no notation a script
   * can carry (an unknown kind, printed as {@code kind N len M}).
   */
  public static Optional<String> showInScript(List<TcpOption> options) {
    for (TcpOption o : options) {
      if (show(o).startsWith("kind ")) return Optional.empty();
    }
    return Optional.of(show(options));
  }

  /** One option: {@code mss 1460}, {@code sack 1:1001}, {@code FO abcd}, {@code kind 99 len 4}. */
  public static String show(TcpOption o) {
    return switch (o) {
      case TcpOption.Eol e -> "eol";
      case TcpOption.Nop n -> "nop";
      case TcpOption.Mss m -> "mss " + m.mss();
      case TcpOption.WindowScale w -> "wscale " + w.shift();
      case TcpOption.SackPermitted s -> "sackOK";
      case TcpOption.Sack s -> "sack" + s.blocks().stream()
          .map(b -> " " + Integer.toUnsignedLong(b.left()) + ":" + Integer.toUnsignedLong(b.right()))
          .reduce("", String::concat);
      case TcpOption.Timestamp t ->
          "TS val " + Integer.toUnsignedLong(t.tsVal()) + " ecr " + Integer.toUnsignedLong(t.tsEcr());
      case TcpOption.Unknown u -> switch (u.kind()) {
        case KIND_MD5 -> join("md5", HexFormat.of().formatHex(u.data()));
        case KIND_FASTOPEN -> join("FO", HexFormat.of().formatHex(u.data()));
        case KIND_EXPERIMENTAL -> u.data().length >= 2 && u.data()[0] == (byte) 0xF9 && u.data()[1] == (byte) 0x89
            ? join("FOEXP", HexFormat.of().formatHex(u.data(), 2, u.data().length))
            : unknown(u);
        case KIND_ACCECN0, KIND_ACCECN1 -> u.data().length > 3 * ACCECN0_FIELDS.size()
            ? unknown(u)
            : showAccEcn(u.kind() == KIND_ACCECN0 ? ACCECN0_FIELDS : ACCECN1_FIELDS, u.data());
        default -> unknown(u);
      };
    };
  }

  /** The option's name alone, as a failure message names the option that differs: "mss", "FO". */
  public static String name(TcpOption o) {
    return switch (o) {
      case TcpOption.Eol e -> "eol";
      case TcpOption.Nop n -> "nop";
      case TcpOption.Mss m -> "mss";
      case TcpOption.WindowScale w -> "wscale";
      case TcpOption.SackPermitted s -> "sackOK";
      case TcpOption.Sack s -> "sack";
      case TcpOption.Timestamp t -> "TS";
      case TcpOption.Unknown u -> switch (u.kind()) {
        case KIND_MD5 -> "md5";
        case KIND_FASTOPEN -> "FO";
        case KIND_EXPERIMENTAL -> "FOEXP";
        case KIND_ACCECN0, KIND_ACCECN1 -> "ECN";
        default -> "kind " + u.kind();
      };
    };
  }

  private static String unknown(TcpOption.Unknown u) {
    return "kind " + u.kind() + " len " + u.wireLength();
  }

  /** "ECN e1b 1 ceb 0 e0b 1": each whole 24-bit field with its label; a partial one is left out. */
  private static String showAccEcn(List<String> labels, byte[] data) {
    StringBuilder b = new StringBuilder("ECN");
    for (int i = 0; 3 * i + 3 <= data.length; i++) {
      int v = (data[3 * i] & 0xFF) << 16 | (data[3 * i + 1] & 0xFF) << 8 | data[3 * i + 2] & 0xFF;
      b.append(' ').append(labels.get(i)).append(' ').append(v);
    }
    return b.toString();
  }

  /** "FO abcd", or "FO" alone for an empty cookie, as packetdrill prints it. */
  private static String join(String name, String hex) {
    return hex.isEmpty() ? name : name + " " + hex;
  }
}
