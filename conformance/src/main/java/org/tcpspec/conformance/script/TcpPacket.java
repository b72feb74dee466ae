package org.tcpspec.conformance.script;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.tcpspec.wire.TcpOption;

/**
 * An inbound ({@code <}, injected) or outbound ({@code >}, expected) TCP segment, in script
 * values: sequence and ack numbers are relative to the script's ISNs, timestamps are script
 * timestamps. {@code ip} holds the IP header fields the line sets or checks. {@code flags} is an
 * OR of {@link org.tcpspec.wire.TcpFlags}. {@code window} is empty when an outbound line leaves
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
    long startSeq,
    int payloadLength,
    OptionalLong ack,
    OptionalInt window,
    int urgentPointer,
    OptionsSpec options)
    implements ScriptAction {

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
