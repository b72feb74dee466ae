/**
 * Where a run's time goes, printed only with {@code TCPSPEC_PROFILE} set: the phases of a run and
 * of each cell ({@link org.tcpspec.conformance.profile.PhaseProfile}) and the steps of each event
 * on the interpreter's thread ({@link org.tcpspec.conformance.profile.EventMarks}). It knows no
 * other package of tcpspec, so every layer may mark its steps, the Linux mechanics below the
 * system under test included.
 */
package org.tcpspec.conformance.profile;
