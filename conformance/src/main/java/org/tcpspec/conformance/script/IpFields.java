package org.tcpspec.conformance.script;

/**
 * The IP header fields a packet line sets (inbound) or checks (outbound), packetdrill's {@code
 * ip_info}: {@code [ect0]}, {@code (tos 0x10)}, {@code [ttl 64]}, {@code (ect1, flowlabel 0x1)}.
 * {@code tos} is the ECN codepoint when {@code check} is {@link TosCheck#ECN} (noecn 0, ect1 1,
 * ect0 2, ce 3, RFC 3168 §5), the whole TOS byte when it is {@link TosCheck#TOS}. {@code ttl} 0
 * means not given: inbound packets then carry TTL 255 and outbound TTLs are not checked, as in
 * packetdrill's ip_packet.c. {@code flowLabel} belongs to IPv6 headers; IPv4 packets ignore it.
 */
public record IpFields(TosCheck check, int tos, int flowLabel, int ttl) {

  /** What an outbound packet's TOS byte must match (packetdrill's tos_chk_t). */
  public enum TosCheck {
    /** Not checked; inbound packets carry TOS 0. */
    NONE,
    /** The two ECN bits equal {@code tos}. */
    ECN,
    /** The ECN bits are ECT(0) or ECT(1): {@code [ect01]}, outbound only. */
    ECT01,
    /** The whole TOS byte equals {@code tos}. */
    TOS
  }

  public static final int ECN_NOT_ECT = 0;
  public static final int ECN_ECT1 = 1;
  public static final int ECN_ECT0 = 2;
  public static final int ECN_CE = 3;

  /** A packet line without IP fields. */
  public static final IpFields NONE = new IpFields(TosCheck.NONE, 0, 0, 0);

  public IpFields {
    if (tos < 0 || tos > 0xFF) throw new IllegalArgumentException("tos out of range: " + tos);
    if (flowLabel < 0 || flowLabel > 0xFFFFF) throw new IllegalArgumentException("flowlabel out of range: " + flowLabel);
    if (ttl < 0 || ttl > 0xFF) throw new IllegalArgumentException("ttl out of range: " + ttl);
  }
}
