package org.tcpspec.conformance.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The opening comment of a suite script:
 *
 * <pre>
 * // RFC 9293: §3.10.7.2 ... (MUST-n)
 * // Actions: PASSIVE_OPEN, ListenRcvSyn
 * // Linux: what the kernel does
 * </pre>
 *
 * A field may continue on following comment lines until the next field.
 */
public record ScriptHeader(String rfc, Set<String> labels, Set<String> actions, String linux) {

  private static final Pattern LABEL = Pattern.compile("\\b(MUST|SHLD|MAY|REC)-\\d+\\b");

  public static ScriptHeader read(Path script) throws IOException {
    return parse(Files.readString(script));
  }

  public static ScriptHeader parse(String text) {
    StringBuilder rfc = new StringBuilder();
    StringBuilder actions = new StringBuilder();
    StringBuilder linux = new StringBuilder();
    StringBuilder current = null;
    for (String line : text.lines().toList()) {
      if (!line.startsWith("//")) break;
      String body = line.substring(2).strip();
      if (body.startsWith("RFC ")) {
        current = rfc;
      } else if (body.startsWith("Actions:")) {
        current = actions;
        body = body.substring("Actions:".length());
      } else if (body.startsWith("Linux:")) {
        current = linux;
        body = body.substring("Linux:".length());
      }
      if (current != null) current.append(' ').append(body.strip());
    }
    Set<String> labels = new LinkedHashSet<>();
    Matcher m = LABEL.matcher(rfc.toString() + " " + linux);
    while (m.find()) labels.add(m.group());
    Set<String> actionSet = new LinkedHashSet<>();
    for (String a : actions.toString().split(",")) {
      if (!a.isBlank()) actionSet.add(a.strip());
    }
    return new ScriptHeader(rfc.toString().strip(), labels, actionSet, linux.toString().strip());
  }

  /** What is missing for a suite script; empty when the header is complete. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (!rfc.startsWith("RFC ")) p.add("no '// RFC 9293: §...' line");
    if (actions.isEmpty()) p.add("no '// Actions: ...' line");
    if (linux.isEmpty()) p.add("no '// Linux: ...' line");
    return p;
  }
}
