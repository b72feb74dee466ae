package org.tcpspec.conformance.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link ModelAnswers} mirrors spec/TcpLinuxTrace.tla: its sets of actions (AckAtOnce, FinAcked,
 * Silent, Reset, SynAcked, read from the module's text, where a set is a list of strings or {@code
 * {p \o k : p \in P, k \in K}} over Synced, with unions) and the replies {@code Allowed} gives each.
 */
class ModelAnswersTest {
  private static final Path MODULE = Path.of("../spec/TcpLinuxTrace.tla");
  private static final Pattern STRING = Pattern.compile("\"([^\"]+)\"");

  @Test
  void theSetsAreTheModulesOwn() throws Exception {
    String tla = Files.readString(MODULE);
    assertEquals(Set.copyOf(ModelAnswers.SYNCED), strings(definition(tla, "Synced")));
    assertEquals(ModelAnswers.ACK_AT_ONCE_ACTIONS, actions(tla, "AckAtOnce"));
    assertEquals(ModelAnswers.FIN_ACKED_ACTIONS, actions(tla, "FinAcked"));
    assertEquals(ModelAnswers.SILENT_ACTIONS, actions(tla, "Silent"));
    assertEquals(ModelAnswers.RESET_ACTIONS, actions(tla, "Reset"));
    assertEquals(ModelAnswers.SYN_ACKED_ACTIONS, actions(tla, "SynAcked"));
  }

  @Test
  void theRepliesAreAllowedsOwn() throws Exception {
    String allowed = definition(Files.readString(MODULE), "Allowed(a)");
    assertEquals(List.of("IF a \\in AckAtOnce \\cup FinAcked THEN {\"ack\", \"data\"}",
        "ELSE IF a \\in Silent THEN {\"none\"}", "ELSE IF a \\in Reset THEN {\"rst\"}",
        "ELSE IF a \\in SynAcked THEN {\"synack\"}", "ELSE Replies"), allowed.lines().map(String::strip).toList());
    assertEquals(Set.of("ack", "data"), ModelAnswers.of("TimeWaitRcvRstInWindow").replies());
    assertEquals(Set.of("ack", "data"), ModelAnswers.of("FinWait2RcvFin").replies());
    assertEquals(Set.of("none"), ModelAnswers.of("TimeWaitRcvData").replies());
    assertEquals(Set.of("rst"), ModelAnswers.of("ListenRcvAck").replies());
    assertEquals(Set.of("synack"), ModelAnswers.of("TimeWaitRcvNewSyn").replies());
    assertEquals(strings(definition(Files.readString(MODULE), "Replies")), ModelAnswers.of("EstablishedRcvData").replies());
  }

  /** The text of a definition {@code name == ...}, up to the blank line or comment after it. */
  private static String definition(String tla, String name) {
    int start = tla.indexOf("\n" + name + " ==");
    if (start < 0) throw new AssertionError(name + " is not defined in " + MODULE);
    String[] rest = tla.substring(start + 1 + name.length() + 3).split("\n");
    List<String> lines = new ArrayList<>(List.of(rest[0]));
    for (int i = 1; i < rest.length && !rest[i].isBlank() && !rest[i].startsWith("\\*"); i++) lines.add(rest[i]);
    return String.join("\n", lines).strip();
  }

  /** The set a definition names: its comprehensions over Synced expanded, its strings added. */
  private static Set<String> actions(String tla, String name) {
    String text = definition(tla, name);
    Set<String> out = new HashSet<>();
    Matcher m = Pattern.compile("\\{p \\\\o k : p \\\\in (.*?),\\s*k \\\\in \\{(.*?)\\}\\}", Pattern.DOTALL).matcher(text);
    while (m.find()) {
      Set<String> prefixes = strings(m.group(1));
      if (m.group(1).contains("Synced")) prefixes.addAll(strings(definition(tla, "Synced")));
      for (String p : prefixes) for (String k : strings(m.group(2))) out.add(p + k);
    }
    out.addAll(strings(m.replaceAll("")));
    return out;
  }

  private static Set<String> strings(String text) {
    Set<String> out = new HashSet<>();
    Matcher m = STRING.matcher(text);
    while (m.find()) out.add(m.group(1));
    return out;
  }
}
