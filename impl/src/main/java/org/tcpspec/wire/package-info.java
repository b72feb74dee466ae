/**
 * Bytes on the wire: flyweight views over IPv4 and TCP headers with named offsets ({@link
 * org.tcpspec.wire.Ipv4Header}, {@link org.tcpspec.wire.TcpHeader}), the parsed and validated
 * {@link org.tcpspec.wire.Segment}, TCP options, the Internet checksum, the {@link
 * org.tcpspec.wire.SegmentReader} flyweight over received bytes (the one place a packet is
 * validated; never throws: a {@link org.tcpspec.wire.ParseResult.Malformed} names the malformed
 * field), {@link org.tcpspec.wire.SegmentParser} (that view plus a copy into the record), {@link
 * org.tcpspec.wire.SegmentEmitter}, and {@link org.tcpspec.wire.SeqNum} modular arithmetic. For
 * the data path, which allocates nothing per segment, {@link org.tcpspec.wire.SegmentView} is what
 * the core reads: the record, a reader, or the reusable {@link
 * org.tcpspec.wire.OutboundSegment} a stack fills; for devices that segment, {@link
 * org.tcpspec.wire.TcpSuperPacket} coalesces a stack's segments into one TCP super-packet and {@link
 * org.tcpspec.wire.TcpSegmentation} cuts one back into segments. This package knows bytes, never connection state:
 * it must not import anything from another tcpspec package ({@code ImplDependencyRulesTest}).
 */
package org.tcpspec.wire;
