package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tcpspec.conformance.linux.Folders;
import org.tcpspec.stack.LinuxMib;

/**
 * {@code nstat} in the java system under test's shell lines. The namespace a line runs in is not
 * the stack's, so the kernel's nstat would read counters our stack never moves; instead each cell
 * has a folder with an {@code nstat} of its own (the resource {@code nstat}, a POSIX sh and awk
 * script with iproute2 nstat's options, output and history), the stack's {@link LinuxMib} written
 * to {@code counters} before every line, and the cell's history beside them. A line gets the
 * folder's {@code bin} first on its PATH, the folder as {@code TCPSPEC_NSTAT_DIR} and the cell's
 * history as {@code NSTAT_HISTORY}, so that an {@code NSTAT_HISTORY} tcpspec was started with (every
 * cell's, as iproute2's default {@code /tmp/.<uid>.nstat} is every namespace's) never joins cells'
 * histories; a line that sets its own still moves it. The linux system under test runs the
 * kernel's nstat with a history per run ({@code linux.NamespaceShell}).
 */
final class JavaNstat implements AutoCloseable {
  private final Path dir;

  private JavaNstat(Path dir) {
    this.dir = dir;
  }

  /** A cell's folder with the nstat script in its {@code bin}. */
  static JavaNstat create() throws IOException {
    Path dir = Files.createTempDirectory("tcpspec-nstat-");
    Path bin = Files.createDirectory(dir.resolve("bin"));
    try (InputStream script = JavaNstat.class.getResourceAsStream("nstat")) {
      if (script == null) throw new IOException("the nstat script is missing from the classpath");
      Files.copy(script, bin.resolve("nstat"));
    }
    Files.setPosixFilePermissions(bin.resolve("nstat"), PosixFilePermissions.fromString("rwxr-xr-x"));
    return new JavaNstat(dir);
  }

  Path dir() {
    return dir;
  }

  /** The file the cell's nstat keeps its history in. */
  Path history() {
    return dir.resolve("history");
  }

  /** {@code mib}'s counters by the names nstat prints, zeros too (nstat decides what to print). */
  static Map<String, Long> counters(LinuxMib mib) {
    Map<String, Long> byName = new LinkedHashMap<>();
    mib.snapshot().forEach((counter, value) -> byName.put(counter.nstatName(), value));
    return byName;
  }

  /**
   * Writes {@code counters}, in their order, for the next line's nstat and returns the variables
   * the line runs with.
   */
  Map<String, String> before(Map<String, Long> counters) throws IOException {
    StringBuilder lines = new StringBuilder();
    counters.forEach((name, value) -> lines.append(name).append(' ').append(value).append('\n'));
    Files.writeString(dir.resolve("counters"), lines);
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    return Map.of("PATH", dir.resolve("bin") + ":" + path, "TCPSPEC_NSTAT_DIR", dir.toString(),
        "NSTAT_HISTORY", history().toString());
  }

  /** Deletes the folder, history and all. */
  @Override
  public void close() {
    Folders.deleteQuietly(dir);
  }
}
