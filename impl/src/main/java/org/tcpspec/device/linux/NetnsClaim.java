package org.tcpspec.device.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Which tcpspec process holds a network namespace that has a name a user chose ({@code serve
 * --netns NAME}), so that a namespace tcpspec made is recognisable after its process is gone: a
 * marker file {@code /run/tcpspec/netns/NAME} with the holder's pid, its start time (a reused pid is
 * not the holder) and whether it created the namespace. {@code kill -9} leaves the marker behind;
 * the next run that wants the name finds its holder dead and removes what it left ({@link
 * #clearStale}), and a run that finds a live holder can refuse. Namespaces named {@code
 * tcpspec-<purpose>-<pid>-<n>} ({@link Netns#create}) carry their pid in the name instead.
 */
public final class NetnsClaim {
  private static final Path MARKERS = Path.of("/run/tcpspec/netns");

  /** The process a marker names, and whether it created the namespace (and so must delete it). */
  public record Holder(long pid, Optional<Instant> start, boolean created) {
    /**
     * Whether that process still runs: its pid exists, is not a zombie (killed, not yet reaped by
     * its parent: Java sees it, it holds nothing), and, when known, started when it did.
     */
    public boolean alive() {
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      if (p.isEmpty() || zombie(pid)) return false;
      return start.isEmpty() || p.get().info().startInstant().map(start.get()::equals).orElse(true);
    }

    /** /proc/PID/stat: the state after the command's closing parenthesis, Z or X once it died. */
    private static boolean zombie(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        int end = stat.lastIndexOf(')');
        char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
        return state == 'Z' || state == 'X';
      } catch (IOException gone) {
        return true;
      }
    }
  }

  private final String name;
  private final Path marker;
  private boolean released;

  private NetnsClaim(String name, Path marker) {
    this.name = name;
    this.marker = marker;
  }

  /**
   * Marks namespace {@code name} as held by this process; fails when another claim exists (a live
   * one, or a stale one not cleared first), atomically, so two runs cannot both hold it.
   */
  public static NetnsClaim claim(String name, boolean created) throws IOException {
    Path marker = markerOf(name);
    Files.createDirectories(MARKERS);
    ProcessHandle self = ProcessHandle.current();
    String text = "pid " + self.pid() + "\nstart " + self.info().startInstant().map(Instant::toString).orElse("-")
        + "\ncreated " + created + "\n";
    try {
      Files.writeString(Files.createFile(marker), text, StandardCharsets.UTF_8);
    } catch (FileAlreadyExistsException e) {
      String by = holder(name).map(h -> " by pid " + h.pid()).orElse("");
      throw new IOException("network namespace " + name + " is held" + by + " (" + marker + ")");
    }
    return new NetnsClaim(name, marker);
  }

  /** The holder the marker of {@code name} names, if there is a marker. */
  public static Optional<Holder> holder(String name) throws IOException {
    Path marker = markerOf(name);
    if (!Files.exists(marker)) return Optional.empty();
    long pid = -1;
    Optional<Instant> start = Optional.empty();
    boolean created = false;
    try {
      for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
        String[] kv = line.split(" ", 2);
        if (kv.length < 2) continue;
        switch (kv[0]) {
          case "pid" -> pid = Long.parseLong(kv[1].strip());
          case "start" -> start = kv[1].strip().equals("-") ? Optional.empty() : Optional.of(Instant.parse(kv[1].strip()));
          case "created" -> created = Boolean.parseBoolean(kv[1].strip());
          default -> { }
        }
      }
    } catch (RuntimeException unreadable) {
      pid = -1;
    }
    // A marker that does not parse names no process that could still hold the name.
    return Optional.of(new Holder(pid, start, created));
  }

  /**
   * Removes what a dead holder of {@code name} left: the namespace if it had created it, and the
   * marker. Empty when there is no marker or its holder lives; otherwise the one line to tell.
   */
  public static Optional<String> clearStale(String name) throws IOException {
    Optional<Holder> h = holder(name);
    if (h.isEmpty() || h.get().alive()) return Optional.empty();
    String said;
    if (h.get().created() && Netns.exists(name)) {
      Netns.delete(name);
      said = "removed network namespace " + name + ", left by tcpspec pid " + h.get().pid() + " which is gone";
    } else {
      said = "cleared the claim on network namespace " + name + " of tcpspec pid " + h.get().pid() + " which is gone";
    }
    Files.deleteIfExists(markerOf(name));
    return Optional.of(said);
  }

  /** Gives the name up (after deleting the namespace, if this run created it); idempotent. */
  public synchronized void release() {
    if (released) return;
    released = true;
    try {
      Files.deleteIfExists(marker);
    } catch (IOException e) {
      System.err.println("tcpspec: could not remove " + marker + ": " + e.getMessage());
    }
  }

  public String name() {
    return name;
  }

  private static Path markerOf(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a namespace name: '" + name + "'");
    }
    return MARKERS.resolve(name);
  }
}
