package org.tcpspec.conformance.linux;

/**
 * struct pollfd: the descriptor, the events asked for and, in poll's answer, the events that
 * occurred (POLLIN 0x1, POLLOUT 0x4, POLLERR 0x8, POLLHUP 0x10, POLLNVAL 0x20, POLLRDHUP 0x2000).
 */
public record PollFd(int fd, int events, int revents) {
  public static PollFd of(int fd, int events) {
    return new PollFd(fd, events, 0);
  }
}
