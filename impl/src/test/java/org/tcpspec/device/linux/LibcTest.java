package org.tcpspec.device.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;

/**
 * The Libc* downcalls pass every argument and take every result as a long (LibcLinker.longs): an int
 * result's -1 must still read as a failure with its errno, int and pointer arguments must arrive
 * whole, and a heap segment must not pass as a pointer. Pipes need no privilege.
 */
class LibcTest {

  @Test
  void anIntResultOfMinusOneIsAFailureWithItsErrno() {
    SysResult<Void> closed = LibcFiles.close(-1);
    assertTrue(closed.failed());
    assertEquals(Errno.EBADF, closed.errno());
  }

  @Test
  void aPipeCarriesBytesThroughWriteAndRead() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
      SysResult<Void> made = LibcFiles.pipe(fds);
      assertFalse(made.failed(), made::toString);
      int readEnd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
      int writeEnd = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
      try {
        MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, new byte[] {1, 2, 3, -1});
        assertEquals(4, LibcFiles.write(writeEnd, out, 4).value());
        MemorySegment in = arena.allocate(8);
        assertEquals(4, LibcFiles.read(readEnd, in, 8).value());
        assertArrayEquals(new byte[] {1, 2, 3, -1}, in.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE));
        // The variadic fcntl: F_GETFL (3) answers the read end's flags, O_RDONLY (0) among them.
        assertEquals(0, LibcFiles.fcntl(readEnd, 3, 0).value() & 3);
      } finally {
        LibcFiles.close(readEnd);
        LibcFiles.close(writeEnd);
      }
    }
  }

  @Test
  void aHeapSegmentIsNotPassedAsAPointer() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LibcFiles.read(0, MemorySegment.ofArray(new byte[8]), 8));
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
  }

  /**
   * The process's processor time is the scheduler's account in nanoseconds: it never goes back, and
   * work on this thread moves it on by at least that work's own thread time (not 10 ms ticks).
   */
  @Test
  void processProcessorTimeCountsThisThreadsWorkToTheNanosecond() {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long before = LibcClock.processCpuNanos();
    long threadBefore = mx.getCurrentThreadCpuTime();
    long x = 0;
    while (mx.getCurrentThreadCpuTime() - threadBefore < 3_000_000L) x += x * 31 + 7;
    long after = LibcClock.processCpuNanos();
    long thread = mx.getCurrentThreadCpuTime() - threadBefore;
    assertTrue(after - before >= thread - 1_000_000L,
        "process " + (after - before) + " ns against this thread's " + thread + " ns (" + x + ")");
    assertTrue(after % 10_000_000L != 0 || LibcClock.processCpuNanos() % 10_000_000L != 0, "not whole 10 ms ticks");
  }
}
