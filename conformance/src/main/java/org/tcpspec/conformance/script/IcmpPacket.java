package org.tcpspec.conformance.script;

import java.util.OptionalInt;
import org.tcpspec.conformance.script.TcpPacket.Direction;

/**
 * An ICMP packet line, {@code < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]}: type and
 * code by name as packetdrill's icmp_packet.c spells them (or {@code type_N}, {@code code_N}),
 * resolved to numbers by the parser for the script's IP version; the MTU of a "fragmentation
 * needed" or "packet too big" message; an echo identifier; and what the message quotes of the
 * packet that caused it. Only inbound ICMP runs: the runner injects it.
 */
public record IcmpPacket(
    Pos pos,
    Direction direction,
    IpFields ip,
    boolean ipv6,
    String typeName,
    int type,
    int code,
    OptionalInt mtu,
    int echoId,
    Quoted quoted)
    implements ScriptAction {

  /**
   * The part of the offending packet an ICMP error carries back: its IP header and first 8 bytes
   * (RFC 792), which packetdrill fills with the socket's addresses and ports and, for TCP, the
   * sequence number {@code startSeq} in the script's space of the system under test.
   */
  public sealed interface Quoted {
    /** {@code [1:1461(1460)]}, or nothing written: a TCP segment of the socket. */
    record Tcp(long startSeq, int payloadLength) implements Quoted {}

    /** {@code [udp (100)]}. */
    record Udp(int payloadLength) implements Quoted {}

    /** {@code [raw (100)]}: no quoted header, the ICMP message is {@code length} zero bytes. */
    record Raw(int length) implements Quoted {}
  }
}
