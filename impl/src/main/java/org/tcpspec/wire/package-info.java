/**
 * Bytes on the wire: flyweight views over IPv4 and TCP headers with named offsets ({@link
 * org.tcpspec.wire.Ipv4Header}, {@link org.tcpspec.wire.TcpHeader}), the parsed and validated
 * {@link org.tcpspec.wire.Segment}, TCP options, the Internet checksum, {@link
 * org.tcpspec.wire.SegmentParser} (never throws: a {@link org.tcpspec.wire.ParseResult} names the
 * malformed field) and {@link org.tcpspec.wire.SegmentEmitter}, and {@link
 * org.tcpspec.wire.SeqNum} modular arithmetic. For the data path, which allocates nothing per
 * segment, {@link org.tcpspec.wire.SegmentView} is what the core reads: the record, a {@link
 * org.tcpspec.wire.SegmentReader} flyweight over received bytes, or the reusable {@link
 * org.tcpspec.wire.OutboundSegment} a stack fills. This package knows bytes, never connection state:
 * it must not import anything from the fsm, tcb or stack packages.
 */
package org.tcpspec.wire;
