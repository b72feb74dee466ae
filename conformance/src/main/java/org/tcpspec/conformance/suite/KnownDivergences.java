package org.tcpspec.conformance.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * reports/known-divergences: reviewed cells that are expected not to pass. One entry per line,
 * {@code script | system | reason}; {@code #} starts a comment. A listed cell that passes is
 * "stale" and reported so the entry gets removed.
 *
 * <p>An entry holds in every address family the script runs in, unless its script ends in the
 * families it holds for, as the reports name a variant's cell: {@code x.pkt [ipv6]}, {@code x.pkt
 * [ipv4, ipv4-mapped-ipv6]}. A cell's family is the {@code --ip_version} it ran with, whether it
 * came from {@code --variants}, the command line or the script; where both an entry for the cell's
 * family and one for every family match, the family's wins, so a script can fail in IPv6 for a
 * reason of its own.
 */
public record KnownDivergences(List<Entry> entries) {

  /** packetdrill's {@code --ip_version} values, the families an entry may name. */
  public static final List<String> FAMILIES = List.of("ipv4", "ipv4-mapped-ipv6", "ipv6");

  /** @param families the families the entry holds in; empty for every family */
  public record Entry(String script, Set<String> families, String sut, String reason, int line) {
    public Entry {
      families = Set.copyOf(families);
    }

    /** An entry for every family. */
    public Entry(String script, String sut, String reason, int line) {
      this(script, Set.of(), sut, reason, line);
    }

    public boolean holdsIn(String ipVersion) {
      return families.isEmpty() || families.contains(ipVersion);
    }
  }

  private static final Pattern FAMILY_SUFFIX = Pattern.compile("^(.*?)\\s*\\[([^\\]]*)]$");

  public static KnownDivergences load(Path file) throws IOException {
    if (!Files.exists(file)) return new KnownDivergences(List.of());
    return parse(Files.readString(file));
  }

  /** @throws IllegalArgumentException for a line that is no entry, or a family packetdrill lacks */
  public static KnownDivergences parse(String text) {
    List<Entry> out = new ArrayList<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      String[] cells = l.split("\\|", 3);
      if (cells.length < 3) {
        throw new IllegalArgumentException("known-divergences:" + (i + 1)
            + ": expected 'script | system | reason', found '" + l + "'");
      }
      String script = cells[0].strip();
      Set<String> families = new LinkedHashSet<>();
      Matcher m = FAMILY_SUFFIX.matcher(script);
      if (m.matches()) {
        script = m.group(1);
        for (String f : m.group(2).split(",")) {
          if (!FAMILIES.contains(f.strip())) {
            throw new IllegalArgumentException("known-divergences:" + (i + 1) + ": unknown address family '"
                + f.strip() + "' (expected " + String.join(", ", FAMILIES) + ")");
          }
          families.add(f.strip());
        }
      }
      out.add(new Entry(script, families, cells[1].strip(), cells[2].strip(), i + 1));
    }
    return new KnownDivergences(List.copyOf(out));
  }

  /** The entry for a script (path ending with the entry's script) on a system, in packetdrill's default family. */
  public Optional<Entry> find(String script, String sut) {
    return find(script, sut, "ipv4");
  }

  /**
   * The entry for a script (path ending with the entry's script) on a system in an address family:
   * one naming the family before one for every family.
   */
  public Optional<Entry> find(String script, String sut, String ipVersion) {
    String normalized = script.replace('\\', '/');
    return entries.stream()
        .filter(e -> e.sut().equals(sut) && e.holdsIn(ipVersion) && normalized.endsWith(e.script()))
        .min(Comparator.comparing(e -> e.families().isEmpty()));
  }
}
