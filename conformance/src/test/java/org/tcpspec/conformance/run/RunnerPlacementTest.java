package org.tcpspec.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Runner#placeWorkers}: each thread that plays cells side by side runs the hook once, with
 * its own number, before it opens its first cell, so the caller can keep it (and what its cells
 * start) to a CPU of its own.
 */
class RunnerPlacementTest {
  /** The worker number the hook gave the thread that runs a cell. */
  private static final ThreadLocal<Integer> PLACED = new ThreadLocal<>();

  /** A parallel system whose every cell records the worker number of the thread that opened it. */
  private static SutFactory recording(Map<String, Integer> placedBy) {
    return new SutFactory() {
      @Override
      public String name() {
        return "fake";
      }

      @Override
      public Optional<String> unavailable() {
        return Optional.empty();
      }

      @Override
      public boolean parallel() {
        return true;
      }

      @Override
      public SystemUnderTest open(String scriptName, RunConfig config) {
        placedBy.put(scriptName, PLACED.get() == null ? -1 : PLACED.get());
        return new FakeSut();
      }
    };
  }

  private static List<Path> scripts(Path dir, int n) throws IOException {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Files.writeString(dir.resolve("s" + i + ".pkt"), "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"));
    }
    return out;
  }

  @Test
  void everyWorkerIsPlacedOnceWithItsOwnNumberBeforeItsCells(@TempDir Path dir) throws Exception {
    Map<Integer, Integer> timesPlaced = new ConcurrentHashMap<>();
    Map<String, Integer> placedBy = new ConcurrentHashMap<>();
    Runner runner = new Runner(2).placeWorkers(worker -> {
      timesPlaced.merge(worker, 1, Integer::sum);
      PLACED.set(worker);
    });
    List<RunResult> results = runner.run(scripts(dir, 6), List.of(recording(placedBy)), r -> { });

    assertEquals(6, results.size());
    assertEquals(6, placedBy.size(), "every cell was opened");
    assertTrue(Set.of(0, 1).containsAll(placedBy.values()), "every cell ran on a placed worker: " + placedBy);
    assertTrue(Set.of(0, 1).containsAll(timesPlaced.keySet()), "workers are numbered 0 and 1: " + timesPlaced);
    timesPlaced.values().forEach(n -> assertEquals(1, n, "a worker is placed once: " + timesPlaced));
  }

  @Test
  void oneJobOnAParallelSystemPlacesNoWorker(@TempDir Path dir) throws Exception {
    Map<Integer, Integer> timesPlaced = new ConcurrentHashMap<>();
    Map<String, Integer> placedBy = new ConcurrentHashMap<>();
    new Runner(1).placeWorkers(worker -> timesPlaced.merge(worker, 1, Integer::sum))
        .run(scripts(dir, 3), List.of(recording(placedBy)), r -> { });

    assertEquals(3, placedBy.size(), "every cell was opened");
    assertTrue(timesPlaced.isEmpty(), "with -j 1 cells only lend each other long sleeps: no worker is placed");
  }
}
