package org.tcpspec.conformance.conform;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.tcpspec.conformance.report.ModelResult;
import org.tcpspec.conformance.report.ModelSteps;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.run.RunOptions;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.spec.Manifest;
import org.tcpspec.spec.ModelFiles;
import org.tcpspec.spec.TlcResult;

/**
 * One conformance run: TLC on every model of the manifest, and the project's suite on each system
 * under test through the same {@link SuiteRun} that {@code tcpspec run} uses. A model whose files
 * are unchanged since its last check takes its result from the {@link TlcCache}. TLC (one core)
 * runs alongside the systems under test that run on virtual time (java); the linux cells, timed
 * in real time against a 4 ms tolerance, run after it so that no TLC competes with them for the
 * VM's cores. Progress goes to {@code progress} as it happens; the report holds TLC's table.
 * With the generated set ({@code --generated}), its scripts play after the suite's on each system,
 * in the same queue, and the report gets their section.
 */
public final class Conform {

  private final Project project;
  private final Progress progress;

  public Conform(Project project, Progress progress) {
    this.project = project;
    this.progress = progress;
  }

  /** The cache of TLC results under the project's reports/. */
  public Path tlcCacheFile() {
    return project.reports().resolve("tlc-cache.tsv");
  }

  /**
   * Checks every model of the manifest, printing one line each; a model whose files are unchanged
   * since its last check is taken from the cache unless {@code recheck}.
   */
  public List<ModelResult> checkModels(boolean recheck) throws IOException {
    Path dir = ModelFiles.extract();
    try {
      TlcCache cache = TlcCache.open(tlcCacheFile(), dir);
      List<ModelResult> results = new ArrayList<>();
      for (Manifest.Entry e : Manifest.load(dir).entries()) {
        Optional<TlcResult> cached = recheck ? Optional.empty() : cache.get(e.name());
        ModelCheck c;
        if (cached.isPresent()) {
          c = new ModelCheck(e, cached.get());
          progress.line("tlc: " + c.line() + " (cached: model files unchanged; --recheck runs TLC)");
        } else {
          progress.line("tlc: checking " + e.spec() + " with " + e.config() + " ...");
          c = ModelCheck.run(dir, e, line -> {}, progress);
          progress.line("tlc: " + c.line());
          cache.put(e.name(), c.actual());
          cache.save();
        }
        results.add(c.result(cached.isPresent()));
      }
      return results;
    } finally {
      ModelFiles.deleteTree(dir);
    }
  }

  /**
   * @param withTlc whether to check the models at all ({@code --no-tlc} says no)
   * @param recheck whether to run TLC on models the cache holds
   * @param generated the generated set, already written under the project's generated folder, to
   *     play after the suite ({@code --generated}); empty for the suite alone
   */
  public Report run(List<SutFactory> suts, Shard shard, int jobs, RunOptions options, boolean withTlc,
      boolean recheck, Optional<ModelSteps> generated) throws IOException, InterruptedException {
    SuiteRun suite = new SuiteRun(project, progress, jobs, options);
    SuiteRun.Selection selection = suite.select(Runner.collect(List.of(project.suite())), shard);
    if (generated.isPresent()) selection = suite.withGenerated(selection, generated.get());
    SuiteRun.Selection selected = selection;
    CompletableFuture<Optional<List<ModelResult>>> tlc = withTlc
        ? CompletableFuture.supplyAsync(() -> {
          try {
            return Optional.of(checkModels(recheck));
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        }, Thread.ofPlatform().name("tlc")::start)
        : CompletableFuture.completedFuture(Optional.empty());
    Map<String, SuiteRun.SutPart> parts = new LinkedHashMap<>();
    for (SutFactory sut : suts) {
      if (!SuiteRun.isRealTime(sut)) parts.put(sut.name(), suite.runOn(selected, sut));
    }
    Optional<List<ModelResult>> models = awaitTlc(tlc);
    for (SutFactory sut : suts) {
      if (SuiteRun.isRealTime(sut)) parts.put(sut.name(), suite.runOn(selected, sut));
    }
    return suite.report(selected, suts.stream().map(s -> parts.get(s.name())).toList(), models);
  }

  private static Optional<List<ModelResult>> awaitTlc(CompletableFuture<Optional<List<ModelResult>>> tlc)
      throws IOException, InterruptedException {
    try {
      return tlc.get();
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      if (cause instanceof IOException io) throw io;
      if (cause instanceof RuntimeException re) throw re;
      throw new IllegalStateException("TLC failed", cause);
    }
  }
}
