package org.tcpspec.device.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ErrnoTest {

  @Test
  void namesAndNumbersOfTheErrorsScriptsUse() {
    assertEquals("EINPROGRESS", Errno.name(115));
    assertEquals("ECONNREFUSED", Errno.name(Errno.ECONNREFUSED));
    assertEquals("EAGAIN", Errno.name(11), "a number prints as its primary name");
    assertEquals(Optional.of(11), Errno.number("EWOULDBLOCK"));
    assertEquals(Optional.of(98), Errno.number("EADDRINUSE"));
    assertEquals(Optional.empty(), Errno.number("ENOSUCHTHING"));
    assertEquals("E4242", Errno.name(4242));
  }

  @Test
  void messageComesFromTheCLibrary() {
    assertEquals("Connection refused", Errno.message(Errno.ECONNREFUSED));
    assertEquals(
        "-1 EINPROGRESS (Operation now in progress)",
        SyscallResult.failed(Errno.EINPROGRESS).toString());
    assertEquals("3", SyscallResult.ok(3).toString());
  }

  /** The table agrees with the installed kernel headers, number by number. */
  @Test
  void tableMatchesTheKernelHeaders() throws Exception {
    Path base = Path.of("/usr/include/asm-generic/errno-base.h");
    Path rest = Path.of("/usr/include/asm-generic/errno.h");
    assumeTrue(Files.exists(base) && Files.exists(rest), "kernel headers (linux-libc-dev) absent");
    Pattern define = Pattern.compile("#define\\s+(E[A-Z0-9]+)\\s+(\\d+)");
    int checked = 0;
    for (Path p : new Path[] {base, rest}) {
      Matcher m = define.matcher(Files.readString(p));
      while (m.find()) {
        int number = Integer.parseInt(m.group(2));
        assertEquals(Optional.of(number), Errno.number(m.group(1)), m.group(1));
        checked++;
      }
    }
    assertTrue(checked > 120, "parsed only " + checked + " defines");
  }
}
