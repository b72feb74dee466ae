package org.tcpspec.conformance.script;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * An inbound ({@code <}, injected) or outbound ({@code >}, expected) TCP segment, in script
 * values: sequence and ack numbers are relative to the script's ISNs, timestamps are script
 * timestamps. {@code ip} holds the IP header fields the line sets or checks. {@code flags} is an
 * OR of {@link TcpFlags}; {@code aceCount} says the line wrote ECE, CWR and AE as an AccECN ACE
 * count ({@code S.5}, packetdrill's FLAG_PARSE_ACE), which is how the line is printed and how a
 * mismatch of those bits is named. {@code window} is empty when an outbound line leaves
 * it out (not checked); inbound lines must give it, as packetdrill demands. Options are listed as
 * written, Fast Open ({@code FO}, {@code FOEXP}) and MD5 ({@code md5}) options as {@link
 * TcpOption.Unknown} of kind 34, 254 and 19 with their bytes.
 */
public record TcpPacket(
    Pos pos,
    Direction direction,
    IpFields ip,
    Optional<Ports> ports,
    int flags,
    boolean aceCount,
    long startSeq,
    int payloadLength,
    OptionalLong ack,
    OptionalInt window,
    int urgentPointer,
    OptionsSpec options)
    implements ScriptAction {

  /** The ACE field (RFC 9768 §3.2.2): AE, CWR and ECE as bits 2, 1 and 0 of a count 0-7. */
  public static int ace(int flags) {
    return (TcpFlags.has(flags, TcpFlags.AE) ? 4 : 0) | (TcpFlags.has(flags, TcpFlags.CWR) ? 2 : 0)
        | (TcpFlags.has(flags, TcpFlags.ECE) ? 1 : 0);
  }

  /** The flags an ACE count sets: the inverse of {@link #ace(int)}. */
  public static int aceBits(int ace) {
    return ((ace & 4) != 0 ? TcpFlags.AE : 0) | ((ace & 2) != 0 ? TcpFlags.CWR : 0)
        | ((ace & 1) != 0 ? TcpFlags.ECE : 0);
  }

  /**
   * The flags as packetdrill prints this line (packet_to_string.c): letters, the ECN bits as
   * their ACE digit when the line wrote a count, "-" for none.
   */
  public String showFlags() {
    if (flags == 0) return "-";
    if (!aceCount) return TcpFlags.toPacketdrill(flags);
    int ecn = TcpFlags.ECE | TcpFlags.CWR | TcpFlags.AE;
    return TcpFlags.toPacketdrill(flags & ~ecn) + ace(flags);
  }

  public enum Direction {
    INBOUND,
    OUTBOUND
  }

  /** Explicit {@code src>dst} ports written before the flags. */
  public record Ports(int src, int dst) {}

  /** The options of a packet: a list (possibly empty), or {@code <...>}: anything goes. */
  public sealed interface OptionsSpec {
    record Listed(List<TcpOption> options) implements OptionsSpec {
      public Listed {
        options = List.copyOf(options);
      }
    }

    record Any() implements OptionsSpec {}
  }
}
