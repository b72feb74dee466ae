package org.tcpspec.conformance.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.suite.KnownDivergences;
import org.tcpspec.conformance.suite.Requirements;
import org.tcpspec.conformance.suite.ScriptHeader;
import org.tcpspec.wire.ParseResult;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentParser;

/**
 * results.json: everything a report shows, written next to index.html by every run so that {@code
 * tcpspec merge} can join the runs of several CI jobs (shards, kernels) into one report, and so
 * that other tools can read a run without scraping HTML. Cells keep their judged status (the known
 * divergences and baselines of the run that made them), their messages and their packets (the IPv4
 * datagrams, base64), so a merged report draws the same ladders.
 */
public final class ResultsFile {
  private ResultsFile() {}

  /** The file's name in a report folder. */
  public static final String NAME = "results.json";

  /** Names this layout; {@link #read} refuses others. */
  static final String FORMAT = "tcpspec-results/1";

  public static void write(Report r, Path file) throws IOException {
    JsonObject root = new JsonObject();
    root.addProperty("format", FORMAT);
    JsonArray suts = new JsonArray();
    for (SutRun s : r.sutRuns()) {
      JsonObject o = new JsonObject();
      o.addProperty("name", s.name());
      s.release().ifPresent(v -> o.addProperty("release", v));
      o.addProperty("wallSeconds", s.wallSeconds());
      o.addProperty("startEpochMicros", s.startEpochMicros());
      suts.add(o);
    }
    root.add("suts", suts);
    r.tlc().ifPresent(models -> {
      JsonArray tlc = new JsonArray();
      for (ModelResult m : models) {
        JsonObject o = new JsonObject();
        o.addProperty("model", m.model());
        o.addProperty("outcome", m.outcome());
        o.addProperty("agrees", m.agrees());
        o.addProperty("expectation", m.expectation());
        o.addProperty("distinctStates", m.distinctStates());
        o.addProperty("depth", m.depth());
        o.addProperty("seconds", m.seconds());
        o.addProperty("cached", m.cached());
        tlc.add(o);
      }
      root.add("tlc", tlc);
    });
    r.shard().ifPresent(v -> root.addProperty("shard", v));
    r.specActions().ifPresent(a -> root.add("specActions", strings(new TreeSet<>(a))));
    root.add("notes", strings(r.notes()));
    JsonObject headers = new JsonObject();
    new java.util.TreeMap<>(r.headers()).forEach((script, h) -> {
      JsonObject o = new JsonObject();
      o.addProperty("rfc", h.rfc());
      o.add("labels", strings(h.labels()));
      o.add("actions", strings(h.actions()));
      o.addProperty("linux", h.linux());
      headers.add(script, o);
    });
    root.add("headers", headers);
    JsonArray cells = new JsonArray();
    for (Cell c : r.cells()) cells.add(cell(c));
    root.add("cells", cells);
    JsonArray judgments = new JsonArray();
    for (LinuxJudgment j : r.linuxJudgments()) {
      JsonObject o = new JsonObject();
      o.addProperty("sut", j.sut());
      o.addProperty("script", j.script());
      o.addProperty("kind", j.kind().name());
      o.addProperty("words", j.kind().words());
      o.addProperty("detail", j.detail());
      judgments.add(o);
    }
    root.add("linuxJudgments", judgments);
    r.modelSteps().ifPresent(m -> {
      JsonArray steps = new JsonArray();
      for (ModelSteps.Step st : m.steps()) {
        JsonObject o = new JsonObject();
        o.addProperty("edge", st.edge());
        o.addProperty("from", st.from());
        o.addProperty("action", st.action());
        o.addProperty("script", st.script());
        o.addProperty("notGenerated", st.notGenerated());
        steps.add(o);
      }
      root.add("modelSteps", steps);
    });
    requirements(root, RequirementCoverage.of(r, Requirements.rfc9293()));
    Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n",
        StandardCharsets.UTF_8);
  }

  /**
   * RFC 9293's requirements with each system's verdict, for tools that read this file; {@link #read}
   * does not need them (a report computes them from the headers and cells again).
   */
  private static void requirements(JsonObject root, RequirementCoverage cov) {
    JsonArray rows = new JsonArray();
    for (RequirementCoverage.Row row : cov.rows()) {
      Requirements.Requirement q = row.requirement();
      JsonObject o = new JsonObject();
      o.addProperty("label", q.label());
      o.addProperty("kind", q.kind().name());
      o.addProperty("section", q.section());
      o.addProperty("category", q.category());
      o.addProperty("summary", q.summary());
      o.add("scripts", strings(row.scripts()));
      o.add("tests", strings(q.tests()));
      q.untestable().ifPresent(why -> o.addProperty("untestable", why));
      JsonObject verdicts = new JsonObject();
      row.verdicts().forEach((sut, v) -> verdicts.addProperty(sut, v.word()));
      o.add("verdicts", verdicts);
      rows.add(o);
    }
    root.add("requirements", rows);
    JsonArray counts = new JsonArray();
    for (RequirementCoverage.Counts c : cov.counts()) {
      JsonObject o = new JsonObject();
      o.addProperty("kind", c.kind().name());
      o.addProperty("total", c.total());
      o.addProperty("byScripts", c.byScripts());
      o.addProperty("byUnitTestsOnly", c.byUnitTestsOnly());
      o.addProperty("untestable", c.untestable());
      o.addProperty("uncovered", c.uncovered());
      JsonObject met = new JsonObject();
      c.met().forEach(met::addProperty);
      o.add("met", met);
      JsonObject notMet = new JsonObject();
      c.notMet().forEach(notMet::addProperty);
      o.add("notMet", notMet);
      counts.add(o);
    }
    root.add("requirementCounts", counts);
  }

  private static JsonObject cell(Cell c) {
    RunResult r = c.result();
    JsonObject o = new JsonObject();
    o.addProperty("script", r.script());
    o.addProperty("sut", r.sut());
    o.addProperty("status", c.status().name());
    switch (r.verdict()) {
      case Verdict.Pass p -> o.addProperty("verdict", "pass");
      case Verdict.Fail f -> {
        o.addProperty("verdict", "fail");
        o.addProperty("message", f.message());
      }
      case Verdict.Error e -> {
        o.addProperty("verdict", "error");
        o.addProperty("message", e.message());
      }
      case Verdict.Unsupported u -> {
        o.addProperty("verdict", "unsupported");
        o.add("features", strings(u.features()));
      }
      case Verdict.NotAvailable n -> {
        o.addProperty("verdict", "not-available");
        o.addProperty("message", n.reason());
      }
    }
    o.addProperty("wallMillis", r.wallMillis());
    c.divergence().ifPresent(d -> {
      JsonObject k = new JsonObject();
      k.addProperty("script", d.script());
      if (!d.families().isEmpty()) {
        k.add("families", strings(KnownDivergences.FAMILIES.stream().filter(d.families()::contains).toList()));
      }
      k.addProperty("sut", d.sut());
      k.addProperty("reason", d.reason());
      k.addProperty("line", d.line());
      o.add("knownDivergence", k);
    });
    c.change().ifPresent(ch -> {
      JsonObject k = new JsonObject();
      k.addProperty("since", ch.since());
      k.addProperty("was", ch.was().key());
      k.addProperty("wasDetail", ch.was().detail());
      k.addProperty("now", ch.now().key());
      k.addProperty("nowDetail", ch.now().detail());
      o.add("linuxChanged", k);
    });
    JsonArray packets = new JsonArray();
    Base64.Encoder b64 = Base64.getEncoder();
    for (PacketRecord p : r.packets()) {
      JsonObject k = new JsonObject();
      k.addProperty("micros", p.micros());
      k.addProperty("inbound", p.inbound());
      k.addProperty("scriptLine", p.scriptLine());
      k.addProperty("ipv4", b64.encodeToString(SegmentEmitter.emit(p.segment())));
      packets.add(k);
    }
    o.add("packets", packets);
    return o;
  }

  /**
   * Reads a results file.
   *
   * @throws IllegalArgumentException naming the file and what is wrong in it
   */
  public static Report read(Path file) throws IOException {
    try {
      JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      String format = text(root, "format");
      if (!format.equals(FORMAT)) {
        throw new IllegalArgumentException("format '" + format + "', expected '" + FORMAT + "'");
      }
      List<SutRun> suts = new ArrayList<>();
      for (JsonElement e : root.getAsJsonArray("suts")) {
        JsonObject o = e.getAsJsonObject();
        suts.add(new SutRun(text(o, "name"), Optional.ofNullable(o.get("release")).map(JsonElement::getAsString),
            o.get("wallSeconds").getAsDouble(), o.get("startEpochMicros").getAsLong()));
      }
      Optional<List<ModelResult>> tlc = Optional.ofNullable(root.getAsJsonArray("tlc")).map(a -> list(a, e -> {
        JsonObject o = e.getAsJsonObject();
        return new ModelResult(text(o, "model"), text(o, "outcome"), o.get("agrees").getAsBoolean(),
            text(o, "expectation"), o.get("distinctStates").getAsLong(), o.get("depth").getAsInt(),
            o.get("seconds").getAsDouble(), o.get("cached").getAsBoolean());
      }));
      Optional<Set<String>> actions = Optional.ofNullable(root.getAsJsonArray("specActions"))
          .map(a -> new TreeSet<>(list(a, JsonElement::getAsString)));
      List<String> notes = list(root.getAsJsonArray("notes"), JsonElement::getAsString);
      Map<String, ScriptHeader> headers = new LinkedHashMap<>();
      for (var e : root.getAsJsonObject("headers").entrySet()) {
        JsonObject o = e.getValue().getAsJsonObject();
        headers.put(e.getKey(), new ScriptHeader(text(o, "rfc"),
            new LinkedHashSet<>(list(o.getAsJsonArray("labels"), JsonElement::getAsString)),
            new LinkedHashSet<>(list(o.getAsJsonArray("actions"), JsonElement::getAsString)), text(o, "linux")));
      }
      List<Cell> cells = list(root.getAsJsonArray("cells"), e -> cell(e.getAsJsonObject()));
      Optional<String> shard = Optional.ofNullable(root.get("shard")).map(JsonElement::getAsString);
      // Files written before the model judged Linux have no judgments: none is read. Files written
      // before judgments named their column judged the one linux column and called the script "cell".
      List<LinuxJudgment> judgments = Optional.ofNullable(root.getAsJsonArray("linuxJudgments")).map(a -> list(a, e -> {
        JsonObject o = e.getAsJsonObject();
        return new LinuxJudgment(o.has("sut") ? text(o, "sut") : LinuxBaseline.SUT,
            text(o, o.has("script") ? "script" : "cell"), LinuxJudgment.Kind.valueOf(text(o, "kind")), text(o, "detail"));
      })).orElse(List.of());
      Optional<ModelSteps> steps = Optional.ofNullable(root.getAsJsonArray("modelSteps")).map(a -> new ModelSteps(list(a, e -> {
        JsonObject o = e.getAsJsonObject();
        return new ModelSteps.Step(text(o, "edge"), text(o, "from"), text(o, "action"), text(o, "script"),
            text(o, "notGenerated"));
      })));
      return new Report(cells, headers, actions, suts, tlc, shard, notes, judgments, steps);
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
      throw new IllegalArgumentException(file + ": not a tcpspec results file: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static Cell cell(JsonObject o) {
    String message = o.has("message") ? text(o, "message") : "";
    Verdict verdict = switch (text(o, "verdict")) {
      case "pass" -> new Verdict.Pass();
      case "fail" -> new Verdict.Fail(message);
      case "error" -> new Verdict.Error(message);
      case "unsupported" -> new Verdict.Unsupported(list(o.getAsJsonArray("features"), JsonElement::getAsString));
      case "not-available" -> new Verdict.NotAvailable(message);
      default -> throw new IllegalArgumentException("cell " + text(o, "script") + ": unknown verdict '"
          + text(o, "verdict") + "'");
    };
    Base64.Decoder b64 = Base64.getDecoder();
    List<PacketRecord> packets = list(o.getAsJsonArray("packets"), e -> {
      JsonObject k = e.getAsJsonObject();
      byte[] bytes = b64.decode(text(k, "ipv4"));
      return switch (SegmentParser.parse(bytes, 0, bytes.length)) {
        case ParseResult.Parsed p -> new PacketRecord(k.get("micros").getAsLong(), k.get("inbound").getAsBoolean(),
            p.segment(), k.get("scriptLine").getAsInt());
        case ParseResult.Malformed m -> throw new IllegalArgumentException("cell " + text(o, "script")
            + ": a packet does not parse: " + m.field() + ": " + m.reason());
      };
    });
    RunResult result = new RunResult(text(o, "script"), text(o, "sut"), verdict, o.get("wallMillis").getAsLong(), packets);
    Optional<KnownDivergences.Entry> divergence = Optional.ofNullable(o.getAsJsonObject("knownDivergence"))
        .map(k -> new KnownDivergences.Entry(text(k, "script"), families(k), text(k, "sut"), text(k, "reason"),
            k.get("line").getAsInt()));
    Optional<LinuxBaseline.Change> change = Optional.ofNullable(o.getAsJsonObject("linuxChanged"))
        .map(k -> new LinuxBaseline.Change(text(k, "since"), new LinuxBaseline.Outcome(text(k, "was"), text(k, "wasDetail")),
            new LinuxBaseline.Outcome(text(k, "now"), text(k, "nowDetail"))));
    return new Cell(result, Cell.Status.valueOf(text(o, "status")), divergence, change);
  }

  /** A divergence entry's families; none (every family) when the field is absent. */
  private static Set<String> families(JsonObject knownDivergence) {
    Set<String> out = new LinkedHashSet<>();
    JsonArray a = knownDivergence.getAsJsonArray("families");
    if (a != null) a.forEach(f -> out.add(f.getAsString()));
    return out;
  }

  private static String text(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null) throw new IllegalArgumentException("missing field '" + field + "'");
    return e.getAsString();
  }

  private static JsonArray strings(Iterable<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }

  private static <T> List<T> list(JsonArray a, Function<JsonElement, T> f) {
    List<T> out = new ArrayList<>();
    for (JsonElement e : a) out.add(f.apply(e));
    return out;
  }
}
