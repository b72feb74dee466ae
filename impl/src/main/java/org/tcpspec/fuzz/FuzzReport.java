package org.tcpspec.fuzz;

import java.util.List;

/**
 * What a fuzz run did: adversarial segments fed, how the stack took them (malformed for the
 * parser, for the honest connection, for the listener, for nothing), the honest traffic that
 * still got through, and the findings (empty when every invariant held).
 *
 * @param segments adversarial packets fed
 * @param malformed of them, dropped by the parser
 * @param toConnection of them, parsed and in the honest connection's four-tuple
 * @param toListener of them, parsed and to the listener's port
 * @param handshakesCompleted forged handshakes the fuzzer completed (SYN queue and cookies)
 * @param connections honest connections opened (a new one after each was reset or closed)
 * @param bytesDelivered honest bytes the stack delivered to its application, all checked
 * @param findings what broke; empty on success
 */
public record FuzzReport(long segments, long malformed, long toConnection, long toListener,
    long handshakesCompleted, long connections, long bytesDelivered, List<Finding> findings) {}
