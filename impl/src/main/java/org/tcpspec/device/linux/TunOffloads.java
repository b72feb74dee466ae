package org.tcpspec.device.linux;

/**
 * What a TUN device and the kernel hand each other besides whole, checksummed, MTU-sized packets:
 * whether every packet carries a {@link VirtioNetHeader} (IFF_VNET_HDR at TUNSETIFF) and which
 * offloads the reader of the device takes on (TUNSETOFFLOAD's TUN_F_* flags, tun.c set_offload).
 * With TUN_F_CSUM the kernel may hand over packets whose transport checksum is partial; with
 * TUN_F_TSO4/TSO6 it hands over TCP super-packets of up to 64 KB instead of cutting them into
 * MSS-sized segments itself, and its TCP senders see a TSO-capable device
 * (Documentation/networking/tuntap.rst).
 *
 * @param vnetHeader every read and write carries a virtio-net header
 * @param flags TUN_F_* bits for TUNSETOFFLOAD; 0 leaves the device's defaults (no offload)
 */
public record TunOffloads(boolean vnetHeader, int flags) {
  /** The reader completes partial checksums. */
  public static final int TUN_F_CSUM = 0x01;
  /** The reader takes IPv4 TCP super-packets (TSO). */
  public static final int TUN_F_TSO4 = 0x02;
  /** The reader takes IPv6 TCP super-packets. */
  public static final int TUN_F_TSO6 = 0x04;
  /** The reader takes super-packets with CWR set (GSO_ECN). */
  public static final int TUN_F_TSO_ECN = 0x08;

  private static final int KNOWN = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;

  /** Plain IP packets both ways: what a TUN device does unless told otherwise. */
  public static final TunOffloads NONE = new TunOffloads(false, 0);

  /**
   * The user-space stack's device: the header, partial checksums, and TCP super-packets both ways
   * (IPv4 and IPv6), so the kernel hands over up to 64 KB per read and takes as much per write. No
   * TUN_F_TSO_ECN: a super-packet with CWR is cut by the kernel itself, so CWR stays on one segment.
   */
  public static final TunOffloads STACK = new TunOffloads(true, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);

  /**
   * packetdrill's device (gtests/net/packetdrill/netdev.c): create_device opens tun0 with {@code
   * IFF_TUN | IFF_NO_PI | IFF_VNET_HDR}, and set_device_offload_flags, "to be like a typical
   * ethernet device", calls TUNSETOFFLOAD with {@code TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 |
   * TUN_F_TSO_ECN}. It never calls TUNSETVNETHDRSZ: the header is the default 10-byte {@code struct
   * virtio_net_hdr}.
   */
  public static final TunOffloads PACKETDRILL =
      new TunOffloads(true, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN);

  public TunOffloads {
    if ((flags & ~KNOWN) != 0) {
      throw new IllegalArgumentException("unknown TUN_F_ flags: 0x" + Integer.toHexString(flags));
    }
    if (flags != 0 && !vnetHeader) {
      // Without the header the reader could tell neither a super-packet nor a partial checksum.
      throw new IllegalArgumentException("offload flags need the virtio-net header (IFF_VNET_HDR)");
    }
    if ((flags & (TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN)) != 0 && (flags & TUN_F_CSUM) == 0) {
      // tun.c set_offload takes the TSO flags only together with TUN_F_CSUM (else EINVAL).
      throw new IllegalArgumentException("TSO offloads need TUN_F_CSUM");
    }
  }
}
