package org.tcpspec.conformance.run;

import java.util.List;

/**
 * What a socket call returned: the return value, errno (0 when the call succeeded), the values it
 * wrote through pointers ({@code out}: getsockopt's value, poll's revents), and when it returned.
 */
public record SysResult(long ret, int errno, List<Long> out, long returnedMicros) {
  public SysResult {
    out = List.copyOf(out);
  }

  public static SysResult ok(long ret, long atMicros) {
    return new SysResult(ret, 0, List.of(), atMicros);
  }

  public static SysResult error(int errno, long atMicros) {
    return new SysResult(-1, errno, List.of(), atMicros);
  }
}
