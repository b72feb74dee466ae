package org.tcpspec.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs TLC on every model of spec/manifest.json and demands the recorded verdict and counts. */
class ManifestTest {

  private static Path models;

  @BeforeAll
  static void extract() throws IOException {
    models = ModelFiles.extract();
  }

  @AfterAll
  static void cleanUp() {
    ModelFiles.deleteTree(models);
  }

  @TestFactory
  Stream<DynamicTest> everyModelReproducesItsManifestEntry() throws IOException {
    return Manifest.load(models).entries().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.name() + " -> " + e.result(),
                    () -> {
                      TlcResult r = Tlc.run(models, e.spec(), e.config(), List.of(), line -> {});
                      System.out.printf(
                          "%s: %s, %d distinct states, depth %d, %d ms%n",
                          e.name(), r.verdict(), r.distinctStates(), r.depth(),
                          r.time().toMillis());
                      List<String> diffs = r.differencesFrom(e);
                      assertTrue(
                          diffs.isEmpty(),
                          () -> e.name() + ": " + diffs + "\n--- TLC said:\n" + r.output());
                    }));
  }

  @Test
  void everyModelFileInSpecIsInTheManifestAndEveryEntryExists() throws IOException {
    Manifest m = Manifest.load(models);
    assertFalse(m.entries().isEmpty());
    for (Manifest.Entry e : m.entries()) {
      assertTrue(Files.isRegularFile(models.resolve(e.spec())), e.spec());
      assertTrue(Files.isRegularFile(models.resolve(e.config())), e.config());
    }
    try (Stream<Path> s = Files.list(models)) {
      List<String> configs =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("MC") && n.endsWith(".cfg"))
              .sorted()
              .toList();
      assertEquals(
          configs, m.entries().stream().map(Manifest.Entry::config).sorted().toList(),
          "every MC*.cfg has exactly one manifest entry");
    }
  }

  @Test
  void manifestParserReadsEntriesAndRejectsMissingFields() {
    Manifest m =
        Manifest.parse(
            "[{\"spec\":\"A.tla\",\"config\":\"MCA.cfg\",\"result\":\"Inv\","
                + "\"distinctStates\":12,\"stateDepth\":3}]");
    assertEquals(
        List.of(new Manifest.Entry("A.tla", "MCA.cfg", "Inv", 12, 3)), m.entries());
    assertEquals("MCA", m.entries().getFirst().name());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> Manifest.parse("[{\"spec\":\"A.tla\",\"config\":\"MCA.cfg\",\"result\":\"x\"}]"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Manifest.parse("[{\"spec\":\"A.tla\"} trailing"));
  }
}
