package org.tcpspec.conformance.linux;

import static org.tcpspec.abi.Symbol.CLONE_NEWNET;
import static org.tcpspec.abi.Symbol.O_CLOEXEC;
import static org.tcpspec.abi.Symbol.O_RDONLY;

import java.io.IOException;
import org.tcpspec.abi.SysResult;
import org.tcpspec.device.linux.LibcFiles;
import org.tcpspec.device.linux.LibcNamespaces;
import org.tcpspec.device.linux.Netns;

/**
 * {@link KernelSockets#joinNamespace}: setns(2) of the calling thread into the namespace, and the
 * handle that moves it back to the namespace it came from.
 */
final class NamespaceJoin {
  private NamespaceJoin() {}

  /** Joins {@code netns}; {@code joined} is true on the calling thread until the handle is closed. */
  static KernelSockets.Joined join(Netns netns, ThreadLocal<Boolean> joined) throws IOException {
    int cloexec = O_RDONLY.value() | O_CLOEXEC.value();
    SysResult<Void> home = LibcFiles.open("/proc/thread-self/ns/net", cloexec);
    if (home.failed()) throw new IOException("open /proc/thread-self/ns/net: " + home);
    SysResult<Void> target = LibcFiles.open("/run/netns/" + netns.name(), cloexec);
    if (target.failed()) {
      LibcFiles.close(home.intValue());
      throw new IOException("open /run/netns/" + netns.name() + ": " + target);
    }
    SysResult<Void> in = LibcNamespaces.setns(target.intValue(), CLONE_NEWNET.value());
    LibcFiles.close(target.intValue());
    if (in.failed()) {
      LibcFiles.close(home.intValue());
      throw new IOException("setns " + netns.name() + ": " + in);
    }
    joined.set(true);
    return () -> {
      joined.set(false);
      SysResult<Void> back = LibcNamespaces.setns(home.intValue(), CLONE_NEWNET.value());
      LibcFiles.close(home.intValue());
      if (back.failed()) throw new IllegalStateException("setns back from " + netns.name() + ": " + back);
    };
  }
}
