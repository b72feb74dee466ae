/**
 * Bytes on the wire: flyweight views over IPv4 and TCP headers with named offsets, the parsed and
 * validated {@link org.tcpspec.wire.Segment}, TCP options, the Internet checksum, and {@link
 * org.tcpspec.wire.SeqNum} modular arithmetic. This package knows bytes, never connection state:
 * it must not import anything from the fsm, tcb or stack packages.
 */
package org.tcpspec.wire;
