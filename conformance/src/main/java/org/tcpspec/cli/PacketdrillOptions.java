package org.tcpspec.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.RunOptions;
import org.tcpspec.conformance.run.Variant;
import org.tcpspec.conformance.script.Pos;
import org.tcpspec.conformance.script.ScriptOption;
import picocli.CommandLine.Option;

/**
 * packetdrill's own command-line options, spelled as packetdrill spells them, for {@code run} and
 * {@code conform}: they win over a script's {@code --option} header lines, as in packetdrill
 * (config.c). {@code --variants} runs every script once per address family with run_all.py's
 * arguments for it, or with ksft_runner.sh's under {@code --variant-set selftests}.
 */
final class PacketdrillOptions {

  @Option(names = {"-D", "--define"}, paramLabel = "NAME=VALUE",
      description = "Replace the word NAME in scripts by VALUE (\"text\" a string, `cmd` a command,"
          + " a number, or a word), as packetdrill's -D.")
  List<String> defines = new ArrayList<>();

  @Option(names = "--ip_version", paramLabel = "ipv4|ipv4-mapped-ipv6|ipv6",
      description = "Address family (java plays all three; linux reports the IPv6 ones unsupported for now).")
  String ipVersion;

  @Option(names = "--local_ip", paramLabel = "ADDR", description = "The kernel's address (default 192.168.0.1).")
  String localIp;

  @Option(names = "--remote_ip", paramLabel = "ADDR[/N]", description = "The script's address (default 192.0.2.1/24).")
  String remoteIp;

  @Option(names = "--gateway_ip", paramLabel = "ADDR", description = "Gateway to the remote address (default 192.168.0.1).")
  String gatewayIp;

  @Option(names = "--netmask_ip", paramLabel = "MASK", description = "Netmask of the local address (default 255.255.0.0).")
  String netmaskIp;

  @Option(names = "--mtu", paramLabel = "BYTES", description = "MTU of the device (default 1500).")
  String mtu;

  @Option(names = "--mss", paramLabel = "BYTES", description = "GSO segment size of injected TCP packets, as packetdrill's: linux takes a larger one as the run of segments it stands for; java takes it as one segment.")
  String mss;

  @Option(names = "--tolerance_usecs", paramLabel = "USECS",
      description = "Timing tolerance for every script, over its own --tolerance_usecs.")
  String toleranceUsecs;

  @Option(names = "--tolerance_percent", paramLabel = "PERCENT",
      description = "Tolerance as a share of the time since the previous event (default 12.5).")
  String tolerancePercent;

  @Option(names = "--strict_segments", description = "One live segment per script segment (no aggregation).")
  boolean strictSegments;

  @Option(names = "--tcp_ts_tick_usecs", paramLabel = "USECS",
      description = "Check outbound TS val at this clock rate (default 0: not checked).")
  String tcpTsTickUsecs;

  @Option(names = "--tcp_ts_ecr_scaled",
      description = "Scale an inbound TS ecr that echoes no outbound TS val from the first one.")
  boolean tcpTsEcrScaled;

  @Option(names = "--send_omit_free", description = "Accepted as packetdrill accepts it (send buffers are never reused here).")
  boolean sendOmitFree;

  @Option(names = "--init_scripts", paramLabel = "CMD[,CMD...]", description = "Shell commands to run before each script.")
  String initScripts;

  @Option(names = "--non_fatal", paramLabel = "packet,syscall",
      description = "Mismatching packets and/or call results are warnings, not failures.")
  String nonFatal;

  @Option(names = "--dry_run", description = "Parse and configure each script; run nothing.")
  boolean dryRun;

  @Option(names = {"-v", "--verbose"}, description = "Print each packet and call as packetdrill -v does.")
  boolean verbose;

  @Option(names = "--variants", split = ",", paramLabel = "FAMILY",
      description = "Run each script in each of ipv4, ipv4-mapped-ipv6, ipv6 with run_all.py's"
          + " arguments (--variant-set's runner's), a cell per variant.")
  List<String> variants = new ArrayList<>();

  @Option(names = "--variant-set", paramLabel = "gtests|selftests",
      description = "Whose modes --variants runs: gtests (run_all.py's, the default) or selftests"
          + " (ksft_runner.sh's ipv4 and ipv6, each script in the families of its own --ip_version"
          + " lines); alone, every family of the set.")
  String variantSet;

  /**
   * The run options of these flags, or empty after printing a usage error (a bad value, an
   * unknown variant): the caller exits with {@link TcpspecCli#EXIT_USAGE}.
   */
  Optional<RunOptions> runOptions(String command, long defaultToleranceMicros, PrintWriter err) {
    List<ScriptOption> options = new ArrayList<>();
    for (String d : defines) add(options, "define", d);
    add(options, "ip_version", ipVersion);
    add(options, "local_ip", localIp);
    add(options, "remote_ip", remoteIp);
    add(options, "gateway_ip", gatewayIp);
    add(options, "netmask_ip", netmaskIp);
    add(options, "mtu", mtu);
    add(options, "mss", mss);
    add(options, "tolerance_usecs", toleranceUsecs);
    add(options, "tolerance_percent", tolerancePercent);
    flag(options, "strict_segments", strictSegments);
    add(options, "tcp_ts_tick_usecs", tcpTsTickUsecs);
    flag(options, "tcp_ts_ecr_scaled", tcpTsEcrScaled);
    flag(options, "send_omit_free", sendOmitFree);
    add(options, "init_scripts", initScripts);
    add(options, "non_fatal", nonFatal);
    flag(options, "dry_run", dryRun);
    flag(options, "verbose", verbose);
    try {
      RunConfig.defines(options);
      RunConfig.of(List.of(), options, defaultToleranceMicros);
    } catch (RunConfig.BadOption e) {
      err.println("tcpspec " + command + ": " + e.getMessage());
      return Optional.empty();
    }
    Variant.Set set = Variant.Set.GTESTS;
    if (variantSet != null) {
      Optional<Variant.Set> named = Variant.Set.byCliName(variantSet);
      if (named.isEmpty()) {
        err.println("tcpspec " + command + ": unknown variant set '" + variantSet + "' (expected "
            + String.join(", ", Arrays.stream(Variant.Set.values()).map(Variant.Set::cliName).toList()) + ")");
        return Optional.empty();
      }
      set = named.get();
    }
    List<Variant> chosen = new ArrayList<>();
    for (String name : variants.isEmpty() && variantSet != null ? set.families() : variants) {
      Optional<Variant> v = set.variant(name.strip());
      if (v.isEmpty()) {
        err.println("tcpspec " + command + ": unknown variant '" + name + "' of " + set.cliName() + " (expected "
            + String.join(", ", set.families()) + ")");
        return Optional.empty();
      }
      chosen.add(v.get());
    }
    if (chosen.isEmpty()) chosen.add(Variant.NONE);
    return Optional.of(new RunOptions(defaultToleranceMicros, options, chosen));
  }

  private static final Pos COMMAND_LINE = new Pos(RunConfig.COMMAND_LINE, 0, 0);

  private static void add(List<ScriptOption> options, String name, String value) {
    if (value != null) options.add(new ScriptOption(COMMAND_LINE, name, Optional.of(value)));
  }

  private static void flag(List<ScriptOption> options, String name, boolean set) {
    if (set) options.add(new ScriptOption(COMMAND_LINE, name, Optional.empty()));
  }
}
