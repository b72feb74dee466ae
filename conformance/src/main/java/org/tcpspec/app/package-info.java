/**
 * Applications for issue #5: {@link org.tcpspec.app.EchoApp}, {@link org.tcpspec.app.DiscardApp}
 * and {@link org.tcpspec.app.HttpApp} (HTTP/1.1 with keep-alive, {@code GET /bytes/N} returning
 * {@link org.tcpspec.app.BytePattern} bytes), plus the {@link org.tcpspec.app.HttpClient} behind
 * {@code tcpspec get}. They are written against a small blocking byte-stream seam ({@link
 * org.tcpspec.app.StreamConnection}, {@link org.tcpspec.app.StreamListener}) with two
 * implementations: JDK kernel sockets inside a namespace ({@link org.tcpspec.app.KernelStreams})
 * and our stack's blocking sockets ({@link org.tcpspec.app.StackStreams}, on the TUN device impl's
 * {@link org.tcpspec.runtime.TunStack} sets up). {@link org.tcpspec.app.AppServer} serves each
 * connection on its own virtual thread; {@link org.tcpspec.app.Demo} is {@code tcpspec demo}.
 *
 * <p>This package knows streams, HTTP and namespaces by name, never segments, states or the
 * transition table, and nothing of the conformance runner or the CLI (ConformanceDependencyRulesTest).
 */
package org.tcpspec.app;
