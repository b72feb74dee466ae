package org.tcpspec.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * spec/manifest.json: the TLC result every model must reproduce. The build fails when TLC's
 * verdict or counts differ, so a change to a model's state space is always announced in the same
 * commit that causes it.
 */
public record Manifest(List<Entry> entries) {

  /** File name of the manifest inside the model directory. */
  public static final String FILE = "manifest.json";

  public Manifest {
    entries = List.copyOf(entries);
  }

  /**
   * One model: the module TLC loads, its configuration, and what TLC must say about it.
   *
   * @param result {@code "success"} or the name of the expected violation (an invariant name,
   *     {@code "deadlock"}, or {@code "temporal"} for a violated temporal property)
   */
  public record Entry(String spec, String config, String result, long distinctStates, int stateDepth) {

    /** The model's name: its configuration file without {@code .cfg}. */
    public String name() {
      return config.endsWith(".cfg") ? config.substring(0, config.length() - 4) : config;
    }
  }

  /** Reads {@code manifest.json} from a model directory. */
  public static Manifest load(Path modelDir) throws IOException {
    return parse(Files.readString(modelDir.resolve(FILE)));
  }

  /** Parses manifest text: a JSON array of objects with the fields of {@link Entry}. */
  public static Manifest parse(String json) {
    if (!(Json.parse(json) instanceof List<?> list)) {
      throw new IllegalArgumentException("manifest: expected a JSON array of models");
    }
    List<Entry> entries = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("manifest: expected an object, got " + o);
      }
      entries.add(
          new Entry(
              text(m, "spec"),
              text(m, "config"),
              text(m, "result"),
              number(m, "distinctStates"),
              Math.toIntExact(number(m, "stateDepth"))));
    }
    return new Manifest(entries);
  }

  /** The entry whose {@link Entry#name()} is {@code name}. */
  public Optional<Entry> entry(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  private static String text(Map<?, ?> m, String key) {
    if (m.get(key) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("manifest entry " + m + ": '" + key + "' must be a string");
  }

  private static long number(Map<?, ?> m, String key) {
    if (m.get(key) instanceof Long l) {
      return l;
    }
    throw new IllegalArgumentException("manifest entry " + m + ": '" + key + "' must be an integer");
  }
}
