package org.tcpspec.conformance.differential;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the judged system differed from the reference, and its signature: the kind of difference
 * without the numbers (the field, an outbound packet's flags, a call's name and errno), so that one
 * divergence met by many sequences is shrunk and written once, and a shrink keeps to the same one.
 */
record Divergence(String signature, String message) {
  private static final Pattern POSITION = Pattern.compile("^\\S+?:\\d+(:\\d+)?: ");
  private static final Pattern MISSING = Pattern.compile("^expected outbound packet > (\\S+) ");
  private static final Pattern TIMING = Pattern.compile("^outbound packet > (\\S+) .*: timing: expected at ");
  private static final Pattern FLAGS = Pattern.compile("^outbound packet: flags: expected (\\S+) vs actual (\\S+)");
  private static final Pattern OPTIONS = Pattern.compile("^outbound packet: options: expected (<.*>) vs actual (<.*>)");
  private static final Pattern FIELD = Pattern.compile("^outbound packet: ([^:]+):");
  private static final Pattern CALL = Pattern.compile("^(\\w+): expected (.*) vs actual (.*)$");

  /** The divergence a failure message of the judged run describes. */
  static Divergence ofFailure(String message, String reference, String judged) {
    String first = POSITION.matcher(message.lines().findFirst().orElse("")).replaceFirst("");
    return new Divergence(signature(first, reference, judged), message);
  }

  /** A packet the judged system sent that the reference did not. */
  static Divergence extra(String flags, String message, String reference, String judged) {
    return new Divergence(judged + " sends > " + flags + ", " + reference + " does not", message);
  }

  private static String signature(String first, String reference, String judged) {
    Matcher m;
    if ((m = MISSING.matcher(first)).find()) return reference + " sends > " + m.group(1) + ", " + judged + " does not";
    if ((m = TIMING.matcher(first)).find()) return "timing of > " + m.group(1);
    if ((m = FLAGS.matcher(first)).find()) return "flags: " + reference + " " + m.group(1) + ", " + judged + " " + m.group(2);
    if ((m = OPTIONS.matcher(first)).find()) {
      return "options: " + reference + " " + optionNames(m.group(1)) + ", " + judged + " " + optionNames(m.group(2));
    }
    if ((m = FIELD.matcher(first)).find()) return "outbound " + m.group(1).strip();
    if ((m = CALL.matcher(first)).find()) {
      return m.group(1) + ": " + reference + " " + kind(m.group(2)) + ", " + judged + " " + kind(m.group(3));
    }
    return first.replaceAll("\\d+", "N");
  }

  /** "<nop,nop,TS,sack>" for "<nop,nop,TS val 1 ecr 2,sack 3:4>": the kinds without their values. */
  private static String optionNames(String options) {
    return options.replaceAll(" val \\d+ ecr \\d+", "").replaceAll("( \\d+(:\\d+)?)+", "");
  }

  /** A call result's kind: its errno name, or "a count" / "0". */
  private static String kind(String result) {
    String r = result.strip();
    if (r.startsWith("-1 ")) return r.split(" ")[1];
    return r.equals("0") ? "0" : "a count";
  }
}
