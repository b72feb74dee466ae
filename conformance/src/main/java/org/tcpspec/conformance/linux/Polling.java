package org.tcpspec.conformance.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.tcpspec.abi.SysResult;
import org.tcpspec.device.linux.LibcPoll;

/**
 * {@link KernelSockets}' readiness calls: poll(2) over an array of struct pollfd, and epoll_ctl(2)
 * and epoll_wait(2) with struct epoll_event (packed on x86-64: the 64-bit data at offset 4). What
 * each returns is documented on KernelSockets.
 */
final class Polling {
  private Polling() {}

  static SysResult<List<PollFd>> poll(List<PollFd> fds, int timeoutMillis) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment array = memory.allocate(Math.max(fds.size(), 1) * LibcPoll.POLLFD_SIZE, 4);
      for (int i = 0; i < fds.size(); i++) {
        array.set(JAVA_INT, i * LibcPoll.POLLFD_SIZE, fds.get(i).fd());
        array.set(JAVA_SHORT, i * LibcPoll.POLLFD_SIZE + 4, (short) fds.get(i).events());
      }
      SysResult<Void> r = LibcPoll.poll(array, fds.size(), timeoutMillis);
      if (r.failed()) return SysResult.error(r.errno());
      List<PollFd> answered = new ArrayList<>(fds.size());
      for (int i = 0; i < fds.size(); i++) {
        int revents = array.get(JAVA_SHORT, i * LibcPoll.POLLFD_SIZE + 6) & 0xFFFF;
        answered.add(new PollFd(fds.get(i).fd(), fds.get(i).events(), revents));
      }
      return SysResult.ok(r.value(), List.copyOf(answered));
    }
  }

  static SysResult<Void> epollCtl(int epfd, int op, int fd, int events, long data) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment ev = memory.allocate(EpollEvent.SIZE, 4);
      ev.set(JAVA_INT, 0, events);
      ev.set(JAVA_LONG_UNALIGNED, 4, data);
      return LibcPoll.epollCtl(epfd, op, fd, ev);
    }
  }

  static SysResult<EpollEvent> epollWait(int epfd, int maxEvents, int timeoutMillis) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment events = memory.allocate((long) Math.max(maxEvents, 1) * EpollEvent.SIZE, 4);
      SysResult<Void> r = LibcPoll.epollWait(epfd, events, maxEvents, timeoutMillis);
      if (r.failed()) return SysResult.error(r.errno());
      return SysResult.ok(r.value(), new EpollEvent(events.get(JAVA_INT, 0), events.get(JAVA_LONG_UNALIGNED, 4)));
    }
  }
}
