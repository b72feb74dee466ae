package org.tcpspec.conformance.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tcpspec.conformance.script.ScriptOption;

/**
 * What the command line says about every run: the tolerance of scripts that set none, packetdrill's
 * own options (which win over a script's header, as in packetdrill), and the address-family
 * variants to run each script in ({@link Variant#NONE} alone when none are asked for).
 */
public record RunOptions(long defaultToleranceMicros, List<ScriptOption> commandLine, List<Variant> variants) {
  public RunOptions {
    commandLine = List.copyOf(commandLine);
    variants = List.copyOf(variants);
    if (variants.isEmpty()) throw new IllegalArgumentException("at least one variant (Variant.NONE)");
  }

  /** packetdrill's defaults, no options, no variants. */
  public static final RunOptions DEFAULT =
      new RunOptions(Interpreter.DEFAULT_TOLERANCE_MICROS, List.of(), List.of(Variant.NONE));

  /**
   * The {@code --ip_version} {@code script} runs with in the variant named {@code variant} (""
   * for none): the last of the variant's and the command line's, which win over the script's own
   * option line, as in packetdrill; else that line's; else packetdrill's default, ipv4.
   */
  public String ipVersion(Path script, String variant) {
    List<ScriptOption> words = new ArrayList<>();
    for (Variant v : variants) if (v.name().equals(variant)) words.addAll(v.options());
    words.addAll(commandLine);
    return RunConfig.ipVersion(words).orElseGet(() -> Variant.ownIpVersions(script).stream()
        .reduce((first, last) -> last).orElse("ipv4"));
  }

  /** The defaults with another tolerance for scripts that set none. */
  public static RunOptions withTolerance(long toleranceMicros) {
    return new RunOptions(toleranceMicros, List.of(), List.of(Variant.NONE));
  }
}
