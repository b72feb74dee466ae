package org.tcpspec.conformance.linux;

/** struct epoll_event: the EPOLL* events and the 64-bit epoll_data union (an fd in its low half). */
public record EpollEvent(int events, long data) {
  /** sizeof(struct epoll_event): packed to 12 bytes on x86-64 (EPOLL_PACKED in sys/epoll.h). */
  static final int SIZE = 12;
}
