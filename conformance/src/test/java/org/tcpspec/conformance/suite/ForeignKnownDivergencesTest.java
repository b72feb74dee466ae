package org.tcpspec.conformance.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reviewed files for other people's corpora (google/packetdrill's gtests, Linux's packetdrill
 * selftests), which the suite's runs never read: `run --known-divergences` reads them only where
 * those corpora are. Each must parse, list java cells only, give each a reason that opens with one
 * of the categories its header defines, and name no script twice for the same families (the later
 * line would never be the one a cell finds). Whether an entry is stale only a run over the corpus
 * shows (conformance/README gives the command and its counts).
 */
class ForeignKnownDivergencesTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "known-divergences-gtests;linux too,config,missing,design",
      "known-divergences-selftests;linux too,design,gap"})
  void everyEntryIsAJavaCellWithACategoryOfItsFile(String file, String categories) throws Exception {
    KnownDivergences known = KnownDivergences.load(Path.of("../reports", file));
    List<String> allowed = List.of(categories.split(","));
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (KnownDivergences.Entry e : known.entries()) {
      String at = file + ":" + e.line() + ": ";
      if (!e.sut().equals("java")) problems.add(at + "system " + e.sut() + ", not java");
      if (allowed.stream().noneMatch(c -> e.reason().startsWith(c + ":"))) {
        problems.add(at + "reason opens with none of " + allowed);
      }
      if (!seen.add(e.script() + " " + new TreeSet<>(e.families()))) {
        problems.add(at + e.script() + " listed twice for " + e.families());
      }
    }
    assertTrue(known.entries().size() >= 50, file + " has " + known.entries().size() + " entries");
    assertEquals(List.of(), problems);
  }
}
