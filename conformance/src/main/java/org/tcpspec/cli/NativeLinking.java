package org.tcpspec.cli;

import java.util.List;
import org.tcpspec.conformance.linux.JiffyEdge;
import org.tcpspec.conformance.linux.ThreadPriority;
import org.tcpspec.device.linux.LibcClock;
import org.tcpspec.device.linux.LibcFiles;
import org.tcpspec.device.linux.LibcNamespaces;
import org.tcpspec.device.linux.LibcPoll;
import org.tcpspec.device.linux.LibcSockets;

/**
 * Links the FFM downcalls of the linux system under test on the calling thread, so that the linux
 * warm-up ({@code LinuxSut.warmUpInBackground}), the critical path of a run's start, finds them
 * linked. Each class links its downcalls in its static initialiser; the first in a JVM also loads
 * the linker itself, and each new shape of downcall is a class generated with the ClassFile API
 * (about 15 ms each, cold). Done on the warm-up's own thread, that was 0.4-0.6 s of its first round
 * ({@code TCPSPEC_PROFILE}: ThreadPriority's initialisation 130-200 ms, that of Libc, the libc
 * bindings then in one class, 200-290 ms, on this 2-vCPU VM); here it runs on the main thread, on
 * the other CPU, while the warm-up parses its script and warms the packet path, and picocli parses
 * the arguments after it.
 *
 * <p>The warm-up thread that reaches one of these classes meanwhile waits for its initialisation
 * to end (JLS 12.4.2), which cannot deadlock: none of their initialisers needs a class the warm-up
 * initialises first, only the JDK's, the ABI table's ({@code org.tcpspec.abi}) and the libc
 * bindings' linker ({@code LibcLinker}), which need none of them.
 */
final class NativeLinking {
  private NativeLinking() {}

  /**
   * In the order the warm-up first needs them: its thread's policy, then the namespace (with the rest
   * of the libc bindings), the clock's start.
   */
  static final List<Class<?>> CLASSES = List.of(ThreadPriority.class, LibcFiles.class, LibcNamespaces.class,
      LibcSockets.class, LibcPoll.class, LibcClock.class, JiffyEdge.class);

  /** Initialises {@link #CLASSES} on the calling thread: their downcalls are linked when it returns. */
  static void linkHere() {
    for (Class<?> c : CLASSES) {
      try {
        Class.forName(c.getName(), true, c.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("a class of this jar is missing: " + c.getName(), e);
      }
    }
  }
}
