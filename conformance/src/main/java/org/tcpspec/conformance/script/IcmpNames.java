package org.tcpspec.conformance.script;

import java.util.Map;

/**
 * ICMP type and code names as packetdrill's icmp_packet.c spells them, for IPv4 (RFC 792, RFC
 * 1812) and IPv6 (RFC 4443), plus its tcpdump-style {@code type_N} and {@code code_N}. A missing
 * code is code 0; a named code is looked up in the codes of its type, and only types with a code
 * table (unreachable; for IPv6 also time_exceeded and parameter_problem) have named codes.
 */
final class IcmpNames {
  private IcmpNames() {}

  static final int V4_DEST_UNREACH = 3;
  static final int V4_FRAG_NEEDED = 4;
  static final int V6_PKT_TOOBIG = 2;

  private static final Map<String, Integer> V4_TYPES = Map.ofEntries(
      Map.entry("echo_reply", 0), Map.entry("unreachable", V4_DEST_UNREACH),
      Map.entry("source_quench", 4), Map.entry("redirect", 5), Map.entry("echo_request", 8),
      Map.entry("time_exceeded", 11), Map.entry("parameter_problem", 12),
      Map.entry("timestamp_request", 13), Map.entry("timestamp_reply", 14),
      Map.entry("information_request", 15), Map.entry("information_reply", 16),
      Map.entry("address_mask_request", 17), Map.entry("address_mask_reply", 18));

  private static final Map<String, Integer> V4_UNREACHABLE = Map.ofEntries(
      Map.entry("net_unreachable", 0), Map.entry("host_unreachable", 1),
      Map.entry("protocol_unreachable", 2), Map.entry("port_unreachable", 3),
      Map.entry("frag_needed", V4_FRAG_NEEDED), Map.entry("source_route_failed", 5),
      Map.entry("net_unknown", 6), Map.entry("host_unknown", 7),
      Map.entry("source_host_isolated", 8), Map.entry("net_prohibited", 9),
      Map.entry("host_prohibited", 10), Map.entry("net_unreachable_for_tos", 11),
      Map.entry("host_unreachable_for_tos", 12), Map.entry("packet_filtered", 13),
      Map.entry("precedence_violation", 14), Map.entry("precedence_cutoff", 15));

  private static final Map<String, Integer> V6_TYPES = Map.of(
      "unreachable", 1, "packet_too_big", V6_PKT_TOOBIG, "time_exceeded", 3,
      "parameter_problem", 4, "echo_request", 128, "echo_reply", 129);

  private static final Map<String, Map<String, Integer>> V6_CODES = Map.of(
      "unreachable", Map.of("net_unreachable", 0, "no_route", 0, "admin_prohibited", 1,
          "not_neighbour", 2, "address_unreachable", 3, "port_unreachable", 4),
      "time_exceeded", Map.of("exceeded_hop_limit", 0, "exceeded_frag_time", 1),
      "parameter_problem", Map.of("header_field", 0, "unknown_next_header", 1, "unknown_option", 2));

  /** The type byte a name means, or -1 for a name packetdrill does not know. */
  static int type(boolean ipv6, String name) {
    Integer n = numbered(name, "type_");
    if (n == null) n = (ipv6 ? V6_TYPES : V4_TYPES).get(name);
    return n != null && n >= 0 && n <= 0xFF ? n : -1;
  }

  /** The code byte of {@code name} (null: none written, code 0) for that type, or -1. */
  static int code(boolean ipv6, String typeName, String name) {
    if (name == null) return 0;
    Integer n = numbered(name, "code_");
    if (n == null) {
      Map<String, Integer> codes = ipv6 ? V6_CODES.get(typeName)
          : typeName.equals("unreachable") ? V4_UNREACHABLE : null;
      if (codes != null) n = codes.get(name);
    }
    return n != null && n >= 0 && n <= 0xFF ? n : -1;
  }

  /** N of "type_N" or "code_N", as sscanf("%d") reads it; null for other names. */
  private static Integer numbered(String name, String prefix) {
    if (!name.startsWith(prefix)) return null;
    String digits = name.substring(prefix.length()).replaceFirst("^(-?\\d+).*$", "$1");
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
