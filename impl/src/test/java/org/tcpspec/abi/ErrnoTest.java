package org.tcpspec.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    assertEquals(Errno.EINPROGRESS, Errno.of(115));
    assertEquals(111, Errno.ECONNREFUSED.number());
    assertEquals(Errno.EAGAIN, Errno.of(11), "a number is its primary name");
    assertEquals(Optional.of(Errno.EAGAIN), Errno.byName("EWOULDBLOCK"));
    assertEquals(Optional.of(Errno.EOPNOTSUPP), Errno.byName("ENOTSUP"));
    assertEquals(Optional.of(Errno.EADDRINUSE), Errno.byName("EADDRINUSE"));
    assertEquals(Optional.empty(), Errno.byName("ENOSUCHTHING"));
    assertEquals(Optional.empty(), Errno.byName("NONE"), "NONE is not a Linux name");
    assertThrows(IllegalArgumentException.class, () -> Errno.of(41), "41 is a hole in the table");
    assertThrows(IllegalArgumentException.class, () -> Errno.of(4242));
  }

  @Test
  void resultsPrintAsPacketdrillDoes() {
    assertEquals("Connection refused", Errno.ECONNREFUSED.description());
    assertEquals("-1 EINPROGRESS (Operation now in progress)", SysResult.error(Errno.EINPROGRESS).toString());
    assertEquals("3", SysResult.ok(3).toString());
    assertThrows(IllegalArgumentException.class, () -> SysResult.ok(-1), "-1 means failure");
  }

  /** Every errno of the installed kernel headers is in the table, under its number and comment. */
  @Test
  void tableMatchesTheKernelHeaders() throws Exception {
    Path base = Path.of("/usr/include/asm-generic/errno-base.h");
    Path rest = Path.of("/usr/include/asm-generic/errno.h");
    assumeTrue(Files.exists(base) && Files.exists(rest), "kernel headers (linux-libc-dev) absent");
    Pattern define = Pattern.compile("#define\\s+(E[A-Z0-9]+)\\s+(\\d+)\\s*/\\*\\s*(.*?)\\s*\\*/");
    int checked = 0;
    for (Path p : new Path[] {base, rest}) {
      Matcher m = define.matcher(Files.readString(p));
      while (m.find()) {
        Errno e = Errno.byName(m.group(1)).orElseThrow(() -> new AssertionError(m.group(1)));
        assertEquals(Integer.parseInt(m.group(2)), e.number(), m.group(1));
        assertEquals(m.group(3), e.description(), m.group(1));
        checked++;
      }
    }
    assertEquals(Errno.values().length - 1, checked, "every errno but NONE is in the headers");
    assertTrue(checked > 120, "parsed only " + checked + " defines");
  }
}
