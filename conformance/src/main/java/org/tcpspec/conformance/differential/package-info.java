/**
 * Differential testing beyond the model's alphabet: a seeded generator of segment sequences around
 * a connection's window edges (sequence numbers just below, at and above RCV.NXT and RCV.NXT +
 * RCV.WND, ACKs around SND.UNA and SND.NXT, old and duplicate ACKs, overlapping and out-of-order
 * data, zero windows, SYN, RST and FIN at the edges, with and without timestamps), each played on a
 * reference system under test (Linux) with everything it sends recorded; what it sent and returned
 * becomes the expected lines of a packetdrill script, which is then played on the system under test
 * being judged (java). A failure there is a divergence; it is shrunk (steps dropped while the same
 * divergence persists) and written as a .pkt for review. It knows the runner's seam and the script
 * language, no system under test by name (the CLI hands them in), nothing of the reports.
 */
package org.tcpspec.conformance.differential;
