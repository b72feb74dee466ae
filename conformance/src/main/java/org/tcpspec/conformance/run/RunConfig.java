package org.tcpspec.conformance.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.tcpspec.abi.Symbol;
import org.tcpspec.conformance.script.Pos;
import org.tcpspec.conformance.script.ScriptOption;
import org.tcpspec.device.linux.Ipv4Cidr;
import org.tcpspec.wire.IpAddress;

/**
 * packetdrill's {@code struct config} (config.c): how one script runs, from its {@code --option}
 * header lines and then from the command line, which wins (packetdrill's
 * parse_and_finalize_config reads the script's options first, the command line's after them).
 * Values are checked as config.c's process_option checks them; a bad one is an error naming where
 * it was given ({@code file:line} or {@code command line}). Options packetdrill has that this runner
 * does not run ({@code --wire_client}, {@code --so_filename}, ...) make the run unsupported.
 *
 * <p>The three IP versions as config.c's finalize_*_config make them: {@code ipv4} and {@code
 * ipv4-mapped-ipv6} take IPv4 addresses and put IPv4 on the wire (the second with AF_INET6 sockets
 * that bind and connect to the IPv4-mapped addresses); {@code ipv6} takes IPv6 addresses
 * (packetdrill's defaults: remote 2001:db8::1/32, local in fd3d:fa7b:d17d::/48) and puts IPv6 on
 * the wire.
 *
 * @param ipVersion as given ({@code ipv4} when neither the script nor the command line says)
 * @param localAddr the system under test's IPv4 address (run_all.py's 192.168.0.1 by default); 0
 *     under ipv6
 * @param prefixLength its prefix, from {@code --netmask_ip} (packetdrill's default 255.255.0.0);
 *     under ipv6 packetdrill's 48
 * @param remoteAddr the IPv4 address the script's side plays (192.0.2.1 by default); 0 under ipv6
 * @param remotePrefixLength the prefix routed to the device ({@code --remote_ip=a.b.c.d/n}, 24;
 *     under ipv6 32)
 * @param gatewayAddr {@code --gateway_ip}; on a point-to-point TUN device the route needs no
 *     next hop, so it is checked, not used
 * @param mtu the device's MTU
 * @param mss the GSO segment size of injected packets larger than it ({@code --mss})
 * @param toleranceMicros {@code --tolerance_usecs}
 * @param tolerancePercent {@code --tolerance_percent}
 * @param toleranceGiven whether the script or the command line set {@code --tolerance_usecs}: a
 *     system under test with exact timing (virtual time) is judged with the tolerance only then
 * @param strictSegments {@code --strict_segments}: one live segment per scripted segment
 * @param tsTickMicros {@code --tcp_ts_tick_usecs}: outbound TSval checked at this clock rate; 0
 *     does not check it
 * @param tsEcrScaled {@code --tcp_ts_ecr_scaled}: an inbound TSecr that echoes no outbound TSval
 *     is scaled from the first one instead of being an error
 * @param sendOmitFree {@code --send_omit_free} (send buffers are not reused: nothing to do here)
 * @param initScripts {@code --init_scripts}: shell commands run before the script
 * @param nonFatalPacket {@code --non_fatal=packet}: a mismatching outbound packet is a warning
 * @param nonFatalSyscall {@code --non_fatal=syscall}: a mismatching call result is a warning
 * @param dryRun {@code --dry_run}: parse, check the configuration, run nothing
 * @param verbose {@code --verbose}/{@code -v}
 * @param defines {@code -D NAME=VALUE} / {@code --define}: words the lexer replaces
 * @param localIp the system under test's address on the wire, of either family (IPv4 as
 *     ::ffff:a.b.c.d)
 * @param remoteIp the script side's address on the wire
 */
public record RunConfig(
    String ipVersion,
    int localAddr,
    int prefixLength,
    int remoteAddr,
    int remotePrefixLength,
    int gatewayAddr,
    int mtu,
    OptionalInt mss,
    long toleranceMicros,
    double tolerancePercent,
    boolean toleranceGiven,
    boolean strictSegments,
    int tsTickMicros,
    boolean tsEcrScaled,
    boolean sendOmitFree,
    List<String> initScripts,
    boolean nonFatalPacket,
    boolean nonFatalSyscall,
    boolean dryRun,
    boolean verbose,
    Map<String, String> defines,
    IpAddress localIp,
    IpAddress remoteIp) {

  public RunConfig {
    initScripts = List.copyOf(initScripts);
    defines = Map.copyOf(defines);
  }

  /** Whether packets on the wire are IPv6 ({@code --ip_version=ipv6}). */
  public boolean ipv6() {
    return ipVersion.equals("ipv6");
  }

  /**
   * Whether sockets are AF_INET6 (config.c's socket_domain): under ipv6 and ipv4-mapped-ipv6, the
   * latter binding and connecting to IPv4-mapped addresses.
   */
  public boolean ipv6Sockets() {
    return !ipVersion.equals("ipv4");
  }

  /** The family of sockets a script's {@code socket(..., ...)} makes (config.c's socket_domain). */
  public int socketDomain() {
    return (ipv6Sockets() ? Symbol.AF_INET6 : Symbol.AF_INET).value();
  }

  /**
   * The address a script's {@code bind(fd, ..., ...)} passes (config.c's live_bind_ip and the
   * port): the local address in a sockaddr of the socket family, IPv4-mapped under
   * ipv4-mapped-ipv6.
   */
  public SocketCall.SockAddr bindAddress(int port) {
    return new SocketCall.SockAddr(socketDomain(), localIp, port);
  }

  /** The address a script's connect, sendto or sendmsg passes (live_connect_ip and the port). */
  public SocketCall.SockAddr connectAddress(int port) {
    return new SocketCall.SockAddr(socketDomain(), remoteIp, port);
  }

  /** Where a command-line option was given, in messages ("command line: bad --mtu: x"). */
  public static final String COMMAND_LINE = "command line";

  /** packetdrill's TUN_DRIVER_DEFAULT_MTU. */
  public static final int DEFAULT_MTU = 1500;

  /**
   * packetdrill's options that take no value (config.c: {@code has_arg = false}); every other
   * option it knows takes one.
   */
  private static final List<String> FLAGS = List.of(
      "tcp_ts_ecr_scaled", "strict_segments", "dry_run", "send_omit_free", "verbose",
      "wire_client", "wire_server", "is_anyip", "debug");

  /** Options packetdrill knows that this runner does not run. */
  private static final List<String> NOT_RUN = List.of(
      "bind_port", "connect_port", "code_command", "code_format", "code_sockopt", "speed",
      "wire_client", "wire_server", "wire_server_ip", "wire_server_at", "wire_server_port",
      "wire_client_dev", "wire_server_dev", "so_filename", "so_flags", "is_anyip", "psp_udp_port",
      "debug");

  private static final List<String> RUN = List.of(
      "ip_version", "remote_ip", "local_ip", "gateway_ip", "netmask_ip", "mss", "mtu",
      "init_scripts", "tolerance_usecs", "tolerance_percent", "tcp_ts_ecr_scaled",
      "tcp_ts_tick_usecs", "strict_segments", "non_fatal", "dry_run", "send_omit_free", "define",
      "verbose");

  /** Whether packetdrill knows {@code name} as an option (what its getopt table lists). */
  public static boolean isOption(String name) {
    return RUN.contains(name) || NOT_RUN.contains(name);
  }

  /** Whether option {@code name} takes a value. */
  public static boolean takesValue(String name) {
    return !FLAGS.contains(name);
  }

  /** A bad option value or a malformed configuration: the message names where it came from. */
  public static final class BadOption extends Exception {
    BadOption(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The {@code -D}/{@code --define} words of the command line, which the parser needs before the
   * script's own options are known.
   */
  public static Map<String, String> defines(List<ScriptOption> commandLine) throws BadOption {
    Map<String, String> out = new LinkedHashMap<>();
    for (ScriptOption o : commandLine) if (o.name().equals("define")) define(out, o);
    return out;
  }

  /** The last {@code --ip_version} of the command line, which the parser needs for ICMP names. */
  public static Optional<String> ipVersion(List<ScriptOption> commandLine) {
    Optional<String> v = Optional.empty();
    for (ScriptOption o : commandLine) if (o.name().equals("ip_version") && o.value().isPresent()) v = o.value();
    return v;
  }

  /**
   * The configuration of one run: the defaults, then {@code header} (the script's options), then
   * {@code commandLine}.
   *
   * @param defaultToleranceMicros the tolerance when neither sets {@code --tolerance_usecs}
   * @return the configuration, or the features that make the run unsupported
   */
  public static Result of(List<ScriptOption> header, List<ScriptOption> commandLine,
      long defaultToleranceMicros) throws BadOption {
    Builder b = new Builder(defaultToleranceMicros);
    List<String> unsupported = new ArrayList<>();
    for (ScriptOption o : header) b.apply(o, unsupported);
    for (ScriptOption o : commandLine) b.apply(o, unsupported);
    if (!unsupported.isEmpty()) return new Result(Optional.empty(), List.copyOf(unsupported));
    return new Result(Optional.of(b.finish()), List.of());
  }

  /** A configuration, or why the run is unsupported. */
  public record Result(Optional<RunConfig> config, List<String> unsupported) {}

  /** The configuration of a run given no options at all. */
  public static RunConfig defaults(long toleranceMicros) {
    try {
      return of(List.of(), List.of(), toleranceMicros).config().orElseThrow();
    } catch (BadOption e) {
      throw new IllegalStateException("the defaults are valid", e);
    }
  }

  private static String where(Pos pos) {
    return pos.file().equals(COMMAND_LINE) ? COMMAND_LINE : pos.fileLine();
  }

  private static void define(Map<String, String> defines, ScriptOption o) throws BadOption {
    String text = o.value().orElse("");
    int equals = text.indexOf('=');
    if (equals <= 0) throw new BadOption(where(o.pos()) + ": bad definition: " + text);
    defines.put(text.substring(0, equals), text.substring(equals + 1));
  }

  /** config.c's process_option over a struct config being filled in. */
  private static final class Builder {
    String ipVersion = "ipv4";
    Optional<String> localIp = Optional.empty();
    Optional<String> remoteIp = Optional.empty();
    Optional<String> gatewayIp = Optional.empty();
    Optional<String> netmaskIp = Optional.empty();
    int mtu = DEFAULT_MTU;
    OptionalInt mss = OptionalInt.empty();
    long toleranceMicros;
    double tolerancePercent = 12.5;
    boolean toleranceGiven;
    boolean strictSegments;
    int tsTickMicros;
    boolean tsEcrScaled;
    boolean sendOmitFree;
    List<String> initScripts = List.of();
    boolean nonFatalPacket;
    boolean nonFatalSyscall;
    boolean dryRun;
    boolean verbose;
    final Map<String, String> defines = new LinkedHashMap<>();

    Builder(long toleranceMicros) {
      this.toleranceMicros = toleranceMicros;
    }

    void apply(ScriptOption o, List<String> unsupported) throws BadOption {
      String name = o.name();
      String at = where(o.pos());
      if (!isOption(name)) throw new BadOption(at + ": option '" + name + "' unknown");
      if (o.value().isPresent() && !takesValue(name)) {
        throw new BadOption(at + ": option '" + name + "' forbids an argument");
      }
      if (o.value().isEmpty() && takesValue(name)) {
        throw new BadOption(at + ": option '" + name + "' requires an argument");
      }
      if (NOT_RUN.contains(name)) {
        unsupported.add("option --" + name);
        return;
      }
      String v = o.value().orElse("");
      switch (name) {
        case "ip_version" -> {
          if (!List.of("ipv4", "ipv4-mapped-ipv6", "ipv6").contains(v)) {
            throw new BadOption(at + ": bad --ip_version: " + v);
          }
          ipVersion = v;
        }
        case "remote_ip" -> remoteIp = Optional.of(v);
        case "local_ip" -> localIp = Optional.of(v);
        case "gateway_ip" -> gatewayIp = Optional.of(v);
        case "netmask_ip" -> netmaskIp = Optional.of(v);
        case "mss" -> {
          int m = leadingInt(v);
          if (m <= 0) throw new BadOption(at + ": bad --mss: " + v);
          mss = OptionalInt.of(m);
        }
        case "mtu" -> {
          int m = leadingInt(v);
          if (m < 0) throw new BadOption(at + ": bad --mtu: " + v);
          mtu = m;
        }
        case "init_scripts" -> initScripts = List.of(v.split(",", -1));
        case "tolerance_usecs" -> {
          long t = leadingInt(v);
          if (t <= 0) throw new BadOption(at + ": bad --tolerance_usecs: " + v);
          toleranceMicros = t;
          toleranceGiven = true;
        }
        case "tolerance_percent" -> {
          double p;
          try {
            p = Double.parseDouble(v);
          } catch (NumberFormatException e) {
            p = 0;
          }
          if (p < 0 || p > 100) throw new BadOption(at + ": bad --tolerance_percent: " + v);
          tolerancePercent = p;
        }
        case "tcp_ts_ecr_scaled" -> tsEcrScaled = true;
        case "tcp_ts_tick_usecs" -> {
          int t = leadingInt(v);
          if (t < 0 || t > 1_000_000) throw new BadOption(at + ": bad --tcp_ts_tick_usecs: " + v);
          tsTickMicros = t;
        }
        case "strict_segments" -> strictSegments = true;
        case "non_fatal" -> {
          for (String kind : v.split("[, ]+")) {
            if (kind.equals("packet")) nonFatalPacket = true;
            if (kind.equals("syscall")) nonFatalSyscall = true;
          }
        }
        case "dry_run" -> dryRun = true;
        case "send_omit_free" -> sendOmitFree = true;
        case "define" -> define(defines, o);
        case "verbose" -> verbose = true;
        default -> throw new IllegalStateException("option --" + name + " is listed but not handled");
      }
    }

    /** config.c's finalize_config: addresses parsed, defaults filled in. */
    RunConfig finish() throws BadOption {
      return ipVersion.equals("ipv6") ? finishIpv6() : finishIpv4();
    }

    /**
     * finalize_ipv6_config: the remote address and its prefix (2001:db8::1/32 by default), the
     * local one (packetdrill draws a random address in fd3d:fa7b:d17d::/48; the fixed
     * fd3d:fa7b:d17d::1 here, so runs repeat), prefix 48.
     */
    private RunConfig finishIpv6() throws BadOption {
      String remoteText = remoteIp.orElse("2001:db8::1/32");
      int slash = remoteText.indexOf('/');
      IpAddress remote = address6("--remote_ip", slash < 0 ? remoteText : remoteText.substring(0, slash));
      int remotePrefix = 128;
      if (slash >= 0) {
        remotePrefix = leadingInt(remoteText.substring(slash + 1));
        if (remotePrefix <= 0 || remotePrefix > 128) throw new BadOption("bad --remote_ip prefix: " + remoteText);
      }
      IpAddress local = address6("--local_ip", localIp.orElse("fd3d:fa7b:d17d::1"));
      address6("--gateway_ip", gatewayIp.orElse("fd3d:fa7b:d17d:8888::0"));
      return new RunConfig(ipVersion, 0, 48, 0, remotePrefix, 0, mtu, mss, toleranceMicros, tolerancePercent, toleranceGiven,
          strictSegments, tsTickMicros, tsEcrScaled, sendOmitFree, initScripts, nonFatalPacket,
          nonFatalSyscall, dryRun, verbose, defines, local, remote);
    }

    private static IpAddress address6(String option, String text) throws BadOption {
      try {
        IpAddress a = IpAddress.parse(text);
        if (a.isIpv4()) throw new IllegalArgumentException("IPv4");
        return a;
      } catch (IllegalArgumentException e) {
        throw new BadOption("bad IPv6 address in " + option + ": " + text);
      }
    }

    /** finalize_ipv4_config and finalize_ipv4_mapped_ipv6_config: IPv4 addresses, IPv4 on the wire. */
    private RunConfig finishIpv4() throws BadOption {
      Ipv4Cidr remote = cidr("--remote_ip", remoteIp.orElse("192.0.2.1/24"));
      int local = address("--local_ip", localIp.orElse("192.168.0.1"));
      int netmask = address("--netmask_ip", netmaskIp.orElse("255.255.0.0"));
      int prefix = Integer.bitCount(netmask);
      if (netmask != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
        throw new BadOption("bad --netmask_ip: " + netmaskIp.orElse(""));
      }
      int gateway = address("--gateway_ip", gatewayIp.orElse("192.168.0.1"));
      return new RunConfig(ipVersion, local, prefix, remote.address(), remote.prefixLength(),
          gateway, mtu, mss, toleranceMicros, tolerancePercent, toleranceGiven, strictSegments, tsTickMicros,
          tsEcrScaled, sendOmitFree, initScripts, nonFatalPacket, nonFatalSyscall, dryRun,
          verbose, defines, IpAddress.ipv4(local), IpAddress.ipv4(remote.address()));
    }

    private static int address(String option, String text) throws BadOption {
      try {
        return Ipv4Cidr.parseAddress(text);
      } catch (IllegalArgumentException e) {
        throw new BadOption("bad IPv4 address in " + option + ": " + text);
      }
    }

    private static Ipv4Cidr cidr(String option, String text) throws BadOption {
      try {
        return Ipv4Cidr.parse(text);
      } catch (IllegalArgumentException e) {
        throw new BadOption("bad IPv4 address in " + option + ": " + text);
      }
    }
  }

  /** C's atoi: the leading decimal digits (with a sign), 0 when there are none. */
  private static int leadingInt(String text) {
    String t = text.strip();
    int end = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
    while (end < t.length() && Character.isDigit(t.charAt(end))) end++;
    try {
      return Integer.parseInt(t.substring(0, end));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
