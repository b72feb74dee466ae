package org.tcpspec.app.bench;

import java.util.Locale;
import org.tcpspec.device.FaultInjector;

/**
 * The faults of {@code bench --faults}: {@code loss=P,dup=P,reorder=P} in percent (any subset, in
 * any order; absent ones are 0), as the stack's {@link FaultInjector.Faults} with a seed.
 */
public record FaultSpec(FaultInjector.Faults rates) {

  /** The faults {@code spec} names; IllegalArgumentException naming the bad part otherwise. */
  public static FaultSpec parse(String spec, long seed) {
    double loss = 0;
    double dup = 0;
    double reorder = 0;
    for (String part : spec.split(",", -1)) {
      String[] kv = part.strip().split("=", -1);
      if (kv.length != 2) throw new IllegalArgumentException("'" + part + "' is not name=percent");
      double v;
      try {
        v = Double.parseDouble(kv[1].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + part + "': " + kv[1].strip() + " is not a number");
      }
      if (!(v >= 0 && v <= 100)) throw new IllegalArgumentException("'" + part + "': percent out of 0..100");
      switch (kv[0].strip()) {
        case "loss" -> loss = v;
        case "dup" -> dup = v;
        case "reorder" -> reorder = v;
        default -> throw new IllegalArgumentException("'" + kv[0].strip() + "' is not loss, dup or reorder");
      }
    }
    return new FaultSpec(new FaultInjector.Faults(loss, dup, reorder, seed));
  }

  /** As the bench's header says it. */
  public String describe() {
    return String.format(Locale.ROOT, "loss %s%%, duplication %s%%, reordering %s%% (seed %d)",
        number(rates.lossPercent()), number(rates.duplicatePercent()), number(rates.reorderPercent()), rates.seed());
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
