/**
 * The stack: connections (the effects of the transition table), each split by concern as gVisor
 * splits its endpoint: {@link org.tcpspec.stack.Handshake}, the {@link org.tcpspec.stack.Sender},
 * the {@link org.tcpspec.stack.Receiver}, loss recovery behind {@link
 * org.tcpspec.stack.LossRecovery}, and {@link org.tcpspec.stack.Probes}; demultiplexing by
 * four-tuple, listeners with a SYN queue of request records bounded by the backlog and SYN cookies
 * beyond it (RFC 4987), the bytes all buffers hold bounded as Linux's tcp_mem bounds them ({@link
 * org.tcpspec.stack.StackMemory}), RST for segments that match nothing, ISN generation (RFC 6528), and struct
 * tcp_info of a connection ({@link
 * org.tcpspec.stack.ConnectionInfo}, after Linux's tcp_get_info). Sans-IO: segments come in through {@link
 * org.tcpspec.stack.Stack#input}, go out through {@link org.tcpspec.stack.Stack#drainOutput}, and
 * time is read from the injected clock only. Must not know bytes on the wire, devices or
 * sockets' errno values.
 */
package org.tcpspec.stack;
