package org.tcpspec.conformance.conform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.report.LinuxBaseline;
import org.tcpspec.conformance.suite.KnownDivergences;

/**
 * What a project root contributes to a report when the root has it: the reviewed
 * reports/known-divergences (for scripts under packetdrill-scripts/), the reviewed
 * reports/known-divergences-generated (for the generated set {@code conform --generated} writes
 * into reports/generated/) and the recorded Linux baselines of reports/baselines/. Without known divergences the report says so in a one-line
 * note, so scripts anywhere on disk run and report without a checkout. Reviewed cells of scripts
 * elsewhere (other people's corpora, e.g. google/packetdrill's gtests) come from a file given
 * apart ({@code outsideDivergences}, the same format, matched by the end of a script's path).
 * (The action vocabulary needs no root: it is compiled in, {@code fsm.Action}.)
 */
public record Project(
    Path root, Optional<KnownDivergences> knownDivergences, Optional<KnownDivergences> outsideDivergences,
    KnownDivergences generatedDivergences, List<LinuxBaseline> baselines, List<String> notes) {

  public Project {
    baselines = List.copyOf(baselines);
    notes = List.copyOf(notes);
  }

  /** Where {@code conform --record-baseline} writes and every run reads Linux baselines. */
  public Path baselineDir() {
    return reports().resolve("baselines");
  }

  /**
   * The baseline that linux cells on {@code release} are compared with: none on a kernel with its
   * own (or when the scripts are not the project's suite), else the nearest older release's.
   */
  public Optional<LinuxBaseline> baselineReference(String release) {
    return LinuxBaseline.reference(baselines, release);
  }

  /** The suite folder, whether or not it exists. */
  public Path suite() {
    return root.resolve("packetdrill-scripts");
  }

  /**
   * Where {@code conform --generated} writes the generated set: a scratch folder under reports/,
   * not committed (the same model gives the same scripts).
   */
  public Path generated() {
    return reports().resolve("generated");
  }

  public boolean isGenerated(Path script) {
    return script.toAbsolutePath().normalize().startsWith(generated().toAbsolutePath().normalize());
  }

  /** Where {@code conform} writes its report by default. */
  public Path reports() {
    return root.resolve("reports");
  }

  /**
   * Reads what {@code root} has.
   *
   * @throws IllegalArgumentException when reports/known-divergences or a baseline is malformed
   *     (the message names file and line)
   */
  public static Project at(Path root) throws IOException {
    return at(root, Optional.empty());
  }

  /**
   * Reads what {@code root} has, and the reviewed cells of scripts outside its suite from
   * {@code outside} when given.
   *
   * @throws IllegalArgumentException when a known-divergences file or a baseline is malformed (the
   *     message names file and line)
   * @throws java.nio.file.NoSuchFileException when {@code outside} does not exist
   */
  public static Project at(Path root, Optional<Path> outside) throws IOException {
    List<String> notes = new ArrayList<>();
    Path known = root.resolve("reports").resolve("known-divergences");
    Optional<KnownDivergences> divergences = Optional.empty();
    if (Files.isRegularFile(known)) {
      divergences = Optional.of(load(known));
    } else {
      notes.add("No known divergences applied: no reports/known-divergences under the project root.");
    }
    Optional<KnownDivergences> others = Optional.empty();
    if (outside.isPresent()) {
      if (!Files.isRegularFile(outside.get())) throw new java.nio.file.NoSuchFileException(outside.get().toString());
      others = Optional.of(load(outside.get()));
    }
    Path generatedKnown = root.resolve("reports").resolve("known-divergences-generated");
    KnownDivergences generated = Files.isRegularFile(generatedKnown) ? load(generatedKnown) : new KnownDivergences(List.of());
    return new Project(root, divergences, others, generated, LinuxBaseline.readAll(root.resolve("reports").resolve("baselines")),
        notes);
  }

  private static KnownDivergences load(Path file) throws IOException {
    try {
      return KnownDivergences.load(file);
    } catch (IllegalArgumentException e) {
      // The parser names the file known-divergences; say which of the project's files it was.
      throw new IllegalArgumentException(file.getParent() + "/"
          + e.getMessage().replaceFirst("^known-divergences", file.getFileName().toString()), e);
    }
  }

  /**
   * The known divergences that apply to {@code script}: the project's for its suite, the reviewed
   * generated ones for the generated set, the ones given for scripts elsewhere otherwise, else none.
   */
  public KnownDivergences divergencesFor(Path script) {
    if (isInSuite(script)) return knownDivergences.orElse(new KnownDivergences(List.of()));
    if (isGenerated(script)) return generatedDivergences;
    return outsideDivergences.orElse(new KnownDivergences(List.of()));
  }

  public boolean isInSuite(Path script) {
    return script.toAbsolutePath().normalize().startsWith(suite().toAbsolutePath().normalize());
  }
}
