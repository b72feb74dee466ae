package org.tcpspec.conformance.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temporary folders that shell lines run in (their nstat history, scripts on PATH). */
public final class Folders {
  private Folders() {}

  /**
   * Removes {@code folder} and all it holds, deepest first. A failure leaves the rest behind: a
   * folder left in the temporary directory is harmless, and no run's result depends on it.
   */
  public static void deleteQuietly(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // See above.
    }
  }
}
