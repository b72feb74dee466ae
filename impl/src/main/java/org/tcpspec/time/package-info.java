/**
 * Time as an injected value: the {@link org.tcpspec.time.Clock} interface, a {@link
 * org.tcpspec.time.ManualClock} for tests and virtual-time script runs, and the {@link
 * org.tcpspec.time.SystemClock}, the only class in the stack that reads real time. This package
 * knows nothing about TCP.
 */
package org.tcpspec.time;
