package org.tcpspec.conformance.run;

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

  /** The defaults with another tolerance for scripts that set none. */
  public static RunOptions withTolerance(long toleranceMicros) {
    return new RunOptions(toleranceMicros, List.of(), List.of(Variant.NONE));
  }
}
