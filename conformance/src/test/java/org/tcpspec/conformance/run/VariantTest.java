package org.tcpspec.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.script.Pos;
import org.tcpspec.conformance.script.ScriptOption;

/** run_all.py's variants and packetdrill's command-line words. */
class VariantTest {
  static final Pos CL = new Pos(RunConfig.COMMAND_LINE, 0, 0);

  @Test
  void wordsBecomeOptionsAsPacketdrillsGetoptReadsThem() {
    assertEquals(List.of(
            new ScriptOption(CL, "ip_version", Optional.of("ipv4")),
            new ScriptOption(CL, "mtu", Optional.of("1520")),
            new ScriptOption(CL, "define", Optional.of("A=1")),
            new ScriptOption(CL, "define", Optional.of("B=2")),
            new ScriptOption(CL, "tcp_ts_ecr_scaled", Optional.empty()),
            new ScriptOption(CL, "verbose", Optional.empty())),
        Variant.arguments(List.of("--ip_version=ipv4", "--mtu", "1520", "-D", "A=1", "-DB=2",
            "--tcp_ts_ecr_scaled", "-v")));
    assertThrows(IllegalArgumentException.class, () -> Variant.arguments(List.of("script.pkt")));
    assertThrows(IllegalArgumentException.class, () -> Variant.arguments(List.of("-D")));
  }

  @Test
  void theVariantsAreRunAllsAndSkipScriptsNamedForTheOtherFamily() {
    assertEquals(List.of("ipv4", "ipv4-mapped-ipv6", "ipv6"),
        Variant.NAMES.stream().map(n -> Variant.byName(n).orElseThrow().name()).toList());
    Variant ipv6 = Variant.byName("ipv6").orElseThrow();
    assertTrue(ipv6.options().contains(new ScriptOption(CL, "mtu", Optional.of("1520"))));
    assertTrue(ipv6.options().contains(new ScriptOption(CL, "define", Optional.of("CMSG_LEVEL_IP=SOL_IPV6"))));
    Variant ipv4 = Variant.byName("ipv4").orElseThrow();
    assertTrue(ipv4.options().contains(new ScriptOption(CL, "define", Optional.of("TFO_COOKIE=3021b9d889017eeb"))));
    assertFalse(ipv4.appliesTo(Path.of("mtu_probe/basic-v6.pkt")));
    assertTrue(ipv6.appliesTo(Path.of("mtu_probe/basic-v6.pkt")));
    assertFalse(ipv6.appliesTo(Path.of("mtu_probe/basic-v4.pkt")));
    assertTrue(Variant.byName("ipv4-mapped-ipv6").orElseThrow().appliesTo(Path.of("x.pkt")));
    assertEquals(Optional.empty(), Variant.byName("ipv5"));
  }

  /** ksft_runner.sh's ip_args: no CODE, TFO_COOKIE_ZERO per family, no ipv4-mapped-ipv6. */
  @Test
  void theSelftestsVariantsAreKsftRunnersArguments() {
    Variant.Set selftests = Variant.Set.byCliName("selftests").orElseThrow();
    assertEquals(List.of("ipv4", "ipv6"), selftests.families());
    Variant ipv4 = selftests.variant("ipv4").orElseThrow();
    assertEquals(Variant.arguments(List.of("--ip_version=ipv4", "--local_ip=192.168.0.1", "--gateway_ip=192.168.0.1",
        "--netmask_ip=255.255.0.0", "--remote_ip=192.0.2.1", "-D", "TFO_COOKIE=3021b9d889017eeb",
        "-D", "TFO_COOKIE_ZERO=b7c12350a90dc8f5", "-D", "CMSG_LEVEL_IP=SOL_IP", "-D", "CMSG_TYPE_RECVERR=IP_RECVERR")),
        ipv4.options());
    Variant ipv6 = selftests.variant("ipv6").orElseThrow();
    assertTrue(ipv6.options().contains(new ScriptOption(CL, "define", Optional.of("TFO_COOKIE_ZERO=82af1a8f9a205c34"))));
    assertTrue(ipv6.options().contains(new ScriptOption(CL, "mtu", Optional.of("1520"))));
    assertEquals(Optional.empty(), selftests.variant("ipv4-mapped-ipv6"));
    assertEquals(Variant.Set.GTESTS, Variant.Set.byCliName("gtests").orElseThrow());
  }

  /** ksft_runner.sh runs a script in the families of its own --ip_version lines, else in both. */
  @Test
  void aSelftestRunsInItsOwnFamilyWhateverItsName(@TempDir Path dir) throws IOException {
    Path own = Files.writeString(dir.resolve("tcp_x_ipv4.pkt"), "// x\n--ip_version=ipv4\n0 socket(...) = 3\n");
    Path none = Files.writeString(dir.resolve("tcp_y-v4.pkt"), "0 socket(...) = 3\n");
    Variant.Set selftests = Variant.Set.SELFTESTS;
    assertTrue(selftests.variant("ipv4").orElseThrow().appliesTo(own));
    assertFalse(selftests.variant("ipv6").orElseThrow().appliesTo(own));
    assertTrue(selftests.variant("ipv6").orElseThrow().appliesTo(none), "not run_all.py's file-name rule");
    assertEquals(List.of("ipv4"), Variant.ownIpVersions(own));
    assertEquals(List.of(), Variant.ownIpVersions(dir.resolve("missing.pkt")));
  }

  /** A cell's family for its known divergences: the variant's, the command line's, the script's, ipv4. */
  @Test
  void aCellsFamilyIsTheIpVersionItRanWith(@TempDir Path dir) throws IOException {
    Path own = Files.writeString(dir.resolve("own.pkt"), "--ip_version=ipv6\n");
    Path plain = Files.writeString(dir.resolve("plain.pkt"), "");
    RunOptions none = RunOptions.DEFAULT;
    assertEquals("ipv4", none.ipVersion(plain, ""));
    assertEquals("ipv6", none.ipVersion(own, ""));
    RunOptions commandLine = new RunOptions(0, Variant.arguments(List.of("--ip_version=ipv4-mapped-ipv6")),
        List.of(Variant.NONE));
    assertEquals("ipv4-mapped-ipv6", commandLine.ipVersion(own, ""));
    RunOptions variants = new RunOptions(0, List.of(),
        List.of(Variant.byName("ipv4").orElseThrow(), Variant.byName("ipv6").orElseThrow()));
    assertEquals("ipv4", variants.ipVersion(own, "ipv4"));
    assertEquals("ipv6", variants.ipVersion(plain, "ipv6"));
  }
}
