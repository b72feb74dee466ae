package org.tcpspec.conformance.run;

import org.tcpspec.wire.Segment;

/**
 * One packet of a run, live values, for ladder diagrams and pcap files: when, which way, and the
 * script line it belongs to (0 when no script line expected it).
 */
public record PacketRecord(long micros, boolean inbound, Segment segment, int scriptLine) {}
