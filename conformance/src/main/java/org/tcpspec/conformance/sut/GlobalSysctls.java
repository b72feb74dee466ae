package org.tcpspec.conformance.sut;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sysctls Linux keeps only in the initial network namespace (net/ipv4/sysctl_net_ipv4.c's
 * ipv4_table, not the per-namespace ipv4_net_table): net.ipv4.tcp_mem. The namespace the java
 * system under test runs shell lines in has no /proc/sys file for them, so a {@code sysctl} line's
 * assignments of them are taken from its text for the stack, and the rest of the line runs in the
 * namespace. (The linux system under test, in a namespace too, cannot set them.)
 */
final class GlobalSysctls {
  private static final Pattern ASSIGNMENT =
      Pattern.compile("\\s(?:net\\.ipv4\\.)?(tcp_mem)=(\"[^\"]*\"|'[^']*'|\\S+)");
  private static final Pattern NOTHING_LEFT = Pattern.compile("\\s*sysctl(\\s+-\\w+)*\\s*");

  /** A sysctl line without its global assignments, whether anything is left to run, and those assignments. */
  record Split(String rest, boolean runRest, Map<String, String> global) {}

  static Split split(String commandLine) {
    Map<String, String> global = new LinkedHashMap<>();
    if (!commandLine.strip().startsWith("sysctl ")) return new Split(commandLine, true, global);
    Matcher m = ASSIGNMENT.matcher(commandLine);
    StringBuilder rest = new StringBuilder();
    while (m.find()) {
      global.put("net.ipv4." + m.group(1), m.group(2).replaceAll("^[\"']|[\"']$", ""));
      m.appendReplacement(rest, "");
    }
    m.appendTail(rest);
    String left = rest.toString();
    return new Split(left, global.isEmpty() || !NOTHING_LEFT.matcher(left).matches(), global);
  }

  private GlobalSysctls() {}
}
