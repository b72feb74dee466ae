/**
 * Applications for issue #5: {@link org.tcpspec.app.EchoApp}, {@link org.tcpspec.app.DiscardApp}
 * and {@link org.tcpspec.app.HttpApp} (HTTP/1.1 with keep-alive, {@code GET /bytes/N}), plus the
 * {@link org.tcpspec.app.HttpClient} behind {@code tcpspec get}. They are written against a small
 * blocking byte-stream seam ({@link org.tcpspec.app.StreamConnection}, {@link
 * org.tcpspec.app.StreamListener}) so the same code runs over JDK kernel sockets ({@link
 * org.tcpspec.app.KernelStreams}, inside a namespace) and over our stack's stream API once it
 * lands. {@link org.tcpspec.app.AppServer} serves each connection on its own virtual thread.
 *
 * <p>This package knows streams and HTTP, never segments, states or devices.
 */
package org.tcpspec.app;
