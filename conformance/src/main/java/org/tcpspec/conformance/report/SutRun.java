package org.tcpspec.conformance.report;

import java.util.Optional;

/**
 * One system under test in a report: its name as the columns show it, the release it ran (the
 * kernel's {@code uname -r} for linux; empty for the java stack), when its suite started and how
 * long it took. A merge over kernels names each kernel's column {@code linux <release>}.
 */
public record SutRun(String name, Optional<String> release, double wallSeconds, long startEpochMicros) {}
