package org.tcpspec.conformance.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 9293's numbered requirements (the MUST-n, SHLD-n, MAY-n and REC-n labels of its text, which
 * Appendix B's table gathers), read from the compiled-in {@code rfc9293-requirements.tsv}: per
 * label its section, category, a one-line summary in our words, and what shows it besides suite
 * scripts (unit tests of the java stack) or why nothing outside the implementation can. Suite
 * scripts name the labels they check in their headers ({@link ScriptHeader#labels()}).
 */
public record Requirements(List<Requirement> all) {

  /** The resource the list is read from, at the root of the class path. */
  public static final String RESOURCE = "rfc9293-requirements.tsv";

  /** The categories of behaviour a requirement falls in. */
  public static final Set<String> CATEGORIES = Set.of(
      "state machine", "segment processing", "options", "timers", "user interface", "security");

  /** The strength of a requirement, in the RFC's label spelling; MUSTs first. */
  public enum Kind {
    MUST,
    SHLD,
    MAY,
    REC
  }

  /**
   * One numbered requirement.
   *
   * @param tests unit tests ({@code SimpleClassName#method}) that check it on the java stack
   * @param untestable why no packet exchange or socket call can show it, when that is so
   */
  public record Requirement(String label, Kind kind, int number, String section, String category, String summary,
      List<String> tests, Optional<String> untestable) {
    public Requirement {
      tests = List.copyOf(tests);
    }
  }

  private static final Pattern LABEL = Pattern.compile("(MUST|SHLD|MAY|REC)-(\\d+)");

  public Requirements {
    all = all.stream()
        .sorted(Comparator.comparing(Requirement::kind).thenComparingInt(Requirement::number)).toList();
  }

  /** The list compiled into this build. */
  public static Requirements rfc9293() {
    return Rfc9293.PARSED;
  }

  /** The list read once per JVM: a report's four files each show it, and each read took 5-20 ms. */
  private static final class Rfc9293 {
    static final Requirements PARSED = read();
  }

  private static Requirements read() {
    try (InputStream in = Requirements.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is not on the class path");
      return parse(RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses the tab-separated list; {@code #} starts a comment line.
   *
   * @throws IllegalArgumentException naming {@code source}:line and the column that is wrong
   */
  public static Requirements parse(String source, String text) {
    List<Requirement> out = new ArrayList<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) continue;
      String where = source + ":" + (i + 1) + ": ";
      String[] f = line.split("\t", -1);
      if (f.length != 5) {
        throw new IllegalArgumentException(where + "expected 5 tab-separated columns (label, section, category,"
            + " summary, evidence), found " + f.length);
      }
      Matcher m = LABEL.matcher(f[0]);
      if (!m.matches()) throw new IllegalArgumentException(where + "label '" + f[0] + "' is not MUST-n, SHLD-n, MAY-n or REC-n");
      if (!f[1].matches("\\d+(\\.\\d+)*")) throw new IllegalArgumentException(where + "section '" + f[1] + "' is not like 3.10.7.4");
      if (!CATEGORIES.contains(f[2])) {
        throw new IllegalArgumentException(where + "category '" + f[2] + "' is not one of " + new java.util.TreeSet<>(CATEGORIES));
      }
      if (f[3].isBlank()) throw new IllegalArgumentException(where + "empty summary");
      List<String> tests = List.of();
      Optional<String> untestable = Optional.empty();
      String evidence = f[4].strip();
      if (evidence.startsWith("tests:")) {
        tests = Arrays.stream(evidence.substring("tests:".length()).split(",")).map(String::strip).toList();
        for (String t : tests) {
          if (!t.matches("[A-Z]\\w*#\\w+")) throw new IllegalArgumentException(where + "test '" + t + "' is not Class#method");
        }
      } else if (evidence.startsWith("untestable:")) {
        String why = evidence.substring("untestable:".length()).strip();
        if (why.isEmpty()) throw new IllegalArgumentException(where + "untestable without a reason");
        untestable = Optional.of(why);
      } else if (!evidence.equals("-")) {
        throw new IllegalArgumentException(where + "evidence '" + evidence + "' is not '-', 'tests: ...' or 'untestable: ...'");
      }
      out.add(new Requirement(f[0], Kind.valueOf(m.group(1)), Integer.parseInt(m.group(2)), f[1], f[2], f[3].strip(),
          tests, untestable));
    }
    return new Requirements(out);
  }

  public Optional<Requirement> find(String label) {
    return all.stream().filter(r -> r.label().equals(label)).findFirst();
  }

  public List<Requirement> of(Kind kind) {
    return all.stream().filter(r -> r.kind() == kind).toList();
  }
}
