package org.tcpspec.app.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.tcpspec.device.linux.Ipv4Cidr;
import org.tcpspec.device.linux.Netns;

/**
 * Two namespaces made for the run, {@code a} and {@code b}, joined by a veth pair: {@code va}
 * 192.168.0.1/24 in a, {@code vb} 192.168.0.2/24 in b, and with IPv6 also {@value #A_ADDRESS6}/64
 * and {@value #B_ADDRESS6}/64 (the documentation prefix, RFC 3849; added without duplicate
 * address detection, nothing else is on the link). The link never touches the host's namespace
 * (it is created from inside a), and closing deletes both namespaces, which destroys the pair
 * with them.
 */
public final class VethPair implements AutoCloseable {
  public static final String A_ADDRESS = "192.168.0.1";
  public static final String B_ADDRESS = "192.168.0.2";
  public static final String A_ADDRESS6 = "2001:db8:0:1::1";
  public static final String B_ADDRESS6 = "2001:db8:0:1::2";

  private final Netns a;
  private final Netns b;

  private VethPair(Netns a, Netns b) {
    this.a = a;
    this.b = b;
  }

  /** The pair with IPv4 addresses only. */
  public static VethPair create() throws IOException {
    return create(false);
  }

  /** The pair, carrying IPv6 too when {@code ipv6}. */
  public static VethPair create(boolean ipv6) throws IOException {
    Netns a = Netns.create("bencha");
    Netns b = null;
    try {
      b = Netns.create("benchb");
      Netns.ExecResult add =
          a.exec(List.of("ip", "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b.name()));
      if (add.exitCode() != 0) throw new IOException("creating the veth pair: " + add);
      a.setAddress("va", Ipv4Cidr.parse(A_ADDRESS + "/24"));
      b.setAddress("vb", Ipv4Cidr.parse(B_ADDRESS + "/24"));
      if (ipv6) {
        enableIpv6(a, "va", A_ADDRESS6);
        enableIpv6(b, "vb", B_ADDRESS6);
      }
      a.linkUp("va");
      b.linkUp("vb");
      return new VethPair(a, b);
    } catch (IOException | RuntimeException e) {
      if (b != null) b.close();
      a.close();
      throw e;
    }
  }

  /**
   * IPv6 on one end: on (Netns turns it off by default), the address added with {@code nodad} so
   * it is usable at once.
   */
  private static void enableIpv6(Netns ns, String ifname, String address) throws IOException {
    for (List<String> command : List.of(
        List.of("sysctl", "-q", "-w", "net.ipv6.conf." + ifname + ".disable_ipv6=0"),
        List.of("ip", "-6", "addr", "add", address + "/64", "dev", ifname, "nodad"))) {
      Netns.ExecResult r = ns.exec(command);
      if (r.exitCode() != 0) throw new IOException(String.join(" ", command) + ": " + r);
    }
  }

  /** Sets the MTU on both ends (veth allows up to 65535). */
  public void setMtu(int mtu) throws IOException {
    a.setMtu("va", mtu);
    b.setMtu("vb", mtu);
  }

  public Netns a() {
    return a;
  }

  public Netns b() {
    return b;
  }

  /** The address a literal names: a dotted quad or IPv6 text, never a name lookup. */
  public static InetAddress address(String literal) {
    if (literal.contains(":")) return InetAddress.ofLiteral(literal);
    int v = Ipv4Cidr.parseAddress(literal);
    try {
      return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an address", e);
    }
  }

  @Override
  public void close() {
    try {
      b.close();
    } finally {
      a.close();
    }
  }
}
