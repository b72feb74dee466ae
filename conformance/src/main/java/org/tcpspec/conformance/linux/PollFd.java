package org.tcpspec.conformance.linux;

/**
 * struct pollfd: the descriptor, the events asked for and, in poll's answer, the events that
 * occurred (POLL* bits of {@link org.tcpspec.abi.Symbol}).
 */
public record PollFd(int fd, int events, int revents) {
  public static PollFd of(int fd, int events) {
    return new PollFd(fd, events, 0);
  }
}
