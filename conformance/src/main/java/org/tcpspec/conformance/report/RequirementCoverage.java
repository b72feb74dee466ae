package org.tcpspec.conformance.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tcpspec.conformance.suite.Requirements;
import org.tcpspec.conformance.suite.Requirements.Kind;
import org.tcpspec.conformance.suite.Requirements.Requirement;
import org.tcpspec.conformance.suite.ScriptHeader;

/**
 * RFC 9293's numbered requirements against a report: per requirement, the scripts whose headers
 * name its label, the unit tests the requirements list names, and per system under test whether
 * it meets the requirement in this run. A system meets a requirement when every cell it has of
 * the requirement's scripts passed, and does not meet it when one of them failed, erred, is a
 * known divergence or a change of Linux; a cell the system could not play (unsupported, not
 * available) counts neither way, so a requirement whose scripts it could not play is "not run";
 * unit tests check the java stack only and run in {@code
 * mvn verify}, not in the report's run, so they are their own verdict.
 *
 * @param unknownLabels labels that script headers name but RFC 9293 does not have, with the scripts
 */
public record RequirementCoverage(List<Row> rows, List<String> suts, Map<String, List<String>> unknownLabels) {

  /** The system under test whose behaviour the list's unit tests check. */
  public static final String UNIT_TESTED_SUT = "java";

  /** A requirement's standing on one system. */
  public enum Verdict {
    MET("met", "pass"),
    NOT_MET("not met", "fail"),
    UNIT_TESTS("unit tests", "unit"),
    NOT_RUN("not run", "na"),
    NOT_TESTED("not tested", "untested"),
    UNTESTABLE("untestable", "na");

    private final String word;
    private final String css;

    Verdict(String word, String css) {
      this.word = word;
      this.css = css;
    }

    public String word() {
      return word;
    }

    /** The CSS class of its cell in index.html. */
    public String css() {
      return css;
    }
  }

  /** One requirement: the scripts naming it and each system's verdict, in {@link #suts} order. */
  public record Row(Requirement requirement, List<String> scripts, Map<String, Verdict> verdicts) {
    public boolean covered() {
      return !scripts.isEmpty() || !requirement.tests().isEmpty();
    }

    /** Met or untestable everywhere: what the report's "only what did not pass" switch hides. */
    public boolean settled() {
      return verdicts.values().stream().allMatch(v -> v == Verdict.MET || v == Verdict.UNTESTABLE);
    }
  }

  /** Counts of one kind of requirement; {@code met}/{@code notMet} are per system. */
  public record Counts(Kind kind, int total, int byScripts, int byUnitTestsOnly, int untestable, int uncovered,
      Map<String, Integer> met, Map<String, Integer> notMet) {
    /** Requirements a packet exchange, a socket call or a unit test could show. */
    public int testable() {
      return total - untestable;
    }
  }

  public static RequirementCoverage of(Report r, Requirements list) {
    Map<String, List<String>> byLabel = new LinkedHashMap<>();
    for (String script : new TreeSet<>(r.headers().keySet())) {
      ScriptHeader h = r.headers().get(script);
      for (String label : h.labels()) byLabel.computeIfAbsent(label, k -> new ArrayList<>()).add(script);
    }
    List<Row> rows = new ArrayList<>();
    for (Requirement q : list.all()) {
      List<String> scripts = byLabel.getOrDefault(q.label(), List.of());
      Map<String, Verdict> verdicts = new LinkedHashMap<>();
      for (String sut : r.suts()) verdicts.put(sut, verdict(r, q, scripts, sut));
      rows.add(new Row(q, scripts, verdicts));
    }
    Map<String, List<String>> unknown = new LinkedHashMap<>(byLabel);
    unknown.keySet().removeIf(l -> list.find(l).isPresent());
    return new RequirementCoverage(rows, r.suts(), unknown);
  }

  private static Verdict verdict(Report r, Requirement q, List<String> scripts, String sut) {
    if (q.untestable().isPresent()) return Verdict.UNTESTABLE;
    boolean passed = false;
    boolean failed = false;
    for (String script : scripts) {
      var cell = r.cell(script, sut);
      // A system that could not play the script (a listed unsupported cell is a known divergence)
      // showed nothing about the requirement either way.
      if (cell.isEmpty() || cell.get().result().verdict() instanceof org.tcpspec.conformance.run.Verdict.Unsupported) continue;
      switch (cell.get().status()) {
        case PASS, STALE -> passed = true;
        case FAIL, ERROR, KNOWN, LINUX_CHANGED -> failed = true;
        case UNSUPPORTED, NOT_AVAILABLE -> { }
      }
    }
    if (failed) return Verdict.NOT_MET;
    if (passed) return Verdict.MET;
    if (!q.tests().isEmpty() && sut.equals(UNIT_TESTED_SUT)) return Verdict.UNIT_TESTS;
    return scripts.isEmpty() ? Verdict.NOT_TESTED : Verdict.NOT_RUN;
  }

  /** Whether any script names a label: a report of other people's scripts leaves the view out. */
  public boolean anyScriptNamesALabel() {
    return rows.stream().anyMatch(row -> !row.scripts().isEmpty()) || !unknownLabels.isEmpty();
  }

  public List<Counts> counts() {
    List<Counts> out = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      List<Row> of = rows.stream().filter(row -> row.requirement().kind() == kind).toList();
      Map<String, Integer> met = new LinkedHashMap<>();
      Map<String, Integer> notMet = new LinkedHashMap<>();
      for (String sut : suts) {
        met.put(sut, (int) of.stream().filter(row -> row.verdicts().get(sut) == Verdict.MET).count());
        notMet.put(sut, (int) of.stream().filter(row -> row.verdicts().get(sut) == Verdict.NOT_MET).count());
      }
      int untestable = (int) of.stream().filter(row -> row.requirement().untestable().isPresent()).count();
      int byScripts = (int) of.stream().filter(row -> !row.scripts().isEmpty()).count();
      int unitOnly = (int) of.stream().filter(row -> row.scripts().isEmpty() && !row.requirement().tests().isEmpty()).count();
      out.add(new Counts(kind, of.size(), byScripts, unitOnly, untestable, of.size() - byScripts - unitOnly - untestable,
          met, notMet));
    }
    return out;
  }

  /**
   * One line per system for CI pages, e.g. {@code linux 6.18.0 meets 40 of 60 testable MUSTs and
   * 12 of 25 testable SHLDs}; for the java stack also how many more only unit tests check.
   */
  public String headline(Report r, String sut) {
    String name = sut + r.sutRun(sut).flatMap(SutRun::release).map(v -> " " + v).orElse("");
    List<String> parts = new ArrayList<>();
    for (Counts c : counts()) {
      if (c.kind() != Kind.MUST && c.kind() != Kind.SHLD) continue;
      String part = c.met().get(sut) + " of " + c.testable() + " testable " + c.kind() + "s";
      if (sut.equals(UNIT_TESTED_SUT)) {
        long unit = rows.stream().filter(row -> row.requirement().kind() == c.kind()
            && row.verdicts().get(sut) == Verdict.UNIT_TESTS).count();
        if (unit > 0) part += " (" + unit + " more checked only by unit tests)";
      }
      parts.add(part);
    }
    return name + " meets " + String.join(" and ", parts) + " in this run";
  }
}
