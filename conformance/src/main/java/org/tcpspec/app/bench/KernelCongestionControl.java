package org.tcpspec.app.bench;

import java.io.IOException;
import java.util.List;
import org.tcpspec.device.linux.Netns;

/**
 * The congestion control of a bench namespace's kernel (net.ipv4.tcp_congestion_control), set so
 * that every transfer runs what the command line names, not what the host happens to default to: a
 * new namespace inherits the host's default (bbr on the machine these numbers were taken on), and
 * BBR's pacing costs the kernel's sender an hrtimer per packet, far more over our TUN device than
 * over veth (impl/TUN-PATH-LOG.md, session 13).
 */
public final class KernelCongestionControl {
  private KernelCongestionControl() {}

  /** tcp_congestion_control in {@code ns}; fails naming the algorithm when this kernel cannot run it there. */
  public static void set(Netns ns, String name) throws IOException {
    Netns.ExecResult r = ns.exec(List.of("sysctl", "-q", "-w", "net.ipv4.tcp_congestion_control=" + name));
    if (r.exitCode() != 0) {
      throw new IOException("the kernel cannot run " + name + " in a namespace here: " + r.output().strip());
    }
  }
}
