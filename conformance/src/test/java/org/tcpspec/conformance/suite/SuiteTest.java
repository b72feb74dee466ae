package org.tcpspec.conformance.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.report.Coverage;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.script.Parser;
import org.tcpspec.conformance.script.Script;

/** Every suite script parses in full, opens with its header, and names actions that exist. */
class SuiteTest {
  static final Path SUITE = Path.of("../packetdrill-scripts");

  @Test
  void everyScriptParsesWithACompleteHeaderAndKnownActions() throws Exception {
    Set<String> known = SpecActions.names();
    List<Path> scripts = Runner.collect(List.of(SUITE));
    assertTrue(scripts.size() >= 40, "suite has " + scripts.size() + " scripts");
    List<String> problems = new ArrayList<>();
    for (Path p : scripts) {
      Script s = Parser.parse(p);
      if (!s.unsupported().isEmpty()) problems.add(p + ": " + s.unsupported());
      ScriptHeader h = ScriptHeader.read(p);
      h.problems().forEach(x -> problems.add(p + ": " + x));
      for (String a : h.actions()) {
        if (!known.contains(a)) problems.add(p + ": unknown action " + a);
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyArrowOfFigure5AndEveryResetRuleIsCoveredByAScript() throws Exception {
    Set<String> known = SpecActions.names();
    Set<String> named = new HashSet<>();
    for (Path p : Runner.collect(List.of(SUITE))) named.addAll(ScriptHeader.read(p).actions());
    List<String> problems = new ArrayList<>();
    for (Coverage.Item item : concat(Coverage.FIGURE_5, Coverage.RESET_RULES)) {
      for (String a : item.actions()) if (!known.contains(a)) problems.add(item.name() + ": unknown action " + a);
      if (item.modelled() && item.actions().stream().noneMatch(named::contains)) {
        problems.add(item.name() + ": no script names " + item.actions());
      }
    }
    assertEquals(List.of(), problems);
  }

  private static List<Coverage.Item> concat(List<Coverage.Item> a, List<Coverage.Item> b) {
    List<Coverage.Item> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void knownDivergencesParseAndMatchBySuffix() {
    KnownDivergences k = KnownDivergences.parse("""
        # comment
        established/ack-of-unsent-data.pkt | java | Linux drops, we ACK as RFC 9293 says
        """);
    assertEquals(1, k.entries().size());
    assertTrue(k.find("../packetdrill-scripts/established/ack-of-unsent-data.pkt", "java").isPresent());
    assertTrue(k.find("../packetdrill-scripts/established/ack-of-unsent-data.pkt", "linux").isEmpty());
  }

  @Test
  void anEntryNamingFamiliesHoldsInThoseAndBeforeOneForEveryFamily() {
    KnownDivergences k = KnownDivergences.parse("""
        a.pkt | java | every family
        a.pkt [ipv6] | java | ipv6's own reason
        b.pkt [ipv4, ipv4-mapped-ipv6] | java | the IPv4 wire
        """);
    assertEquals(Set.of("ipv4", "ipv4-mapped-ipv6"), k.entries().get(2).families());
    assertEquals("b.pkt", k.entries().get(2).script());
    assertEquals("every family", k.find("x/a.pkt", "java", "ipv4").orElseThrow().reason());
    assertEquals("ipv6's own reason", k.find("x/a.pkt", "java", "ipv6").orElseThrow().reason());
    assertEquals("every family", k.find("x/a.pkt", "java").orElseThrow().reason());
    assertTrue(k.find("x/b.pkt", "java", "ipv4-mapped-ipv6").isPresent());
    assertTrue(k.find("x/b.pkt", "java", "ipv6").isEmpty());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> KnownDivergences.parse("# c\nc.pkt [ipv6, ip4] | java | typo\n"));
    assertEquals("known-divergences:2: unknown address family 'ip4' (expected ipv4, ipv4-mapped-ipv6, ipv6)",
        bad.getMessage());
  }
}
