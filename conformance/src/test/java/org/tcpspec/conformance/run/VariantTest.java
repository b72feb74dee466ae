package org.tcpspec.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
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
}
