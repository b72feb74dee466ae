/**
 * The segment fuzzer of issue 13: a stack with an honest echo connection and a listener, fed
 * malformed and adversarial packets on a manual clock, its TCB invariants, delivered bytes and
 * memory checked after every step. Driven by {@code tcpspec fuzz} and by a fixed-seed test. Uses
 * the stack as an application and an attacker would (the stack's public API, packets as bytes);
 * must not know devices, sockets' errno values or the conformance runner.
 */
package org.tcpspec.fuzz;
