package org.tcpspec.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SymbolTest {

  @Test
  void namesLookUpAsCSpellsThem() {
    assertEquals(Optional.of(Symbol.SO_REUSEADDR), Symbol.byName("SO_REUSEADDR"));
    assertEquals(Optional.of(Symbol.TCP_CA_Open), Symbol.byName("TCP_CA_Open"));
    assertEquals(Optional.empty(), Symbol.byName("SO_NO_SUCH_OPTION"));
    assertEquals(Symbol.SOL_TCP.value(), Symbol.IPPROTO_TCP.value(), "SOL_TCP is IPPROTO_TCP");
  }

  @Test
  void optionsAreFoundByLevelAndName() {
    assertEquals(Optional.of(Symbol.SO_REUSEADDR), Symbol.option(1, 2));
    assertEquals(Optional.of(Symbol.TCP_MAXSEG), Symbol.option(6, 2), "same number, other level");
    assertEquals(Optional.of(Symbol.IP_TOS), Symbol.option(0, 1));
    assertEquals(Optional.of(Symbol.IPV6_V6ONLY), Symbol.option(41, 26));
    assertEquals(Optional.empty(), Symbol.option(6, 9999));
    assertEquals(Optional.empty(), Symbol.option(255, 1), "no options at an unknown level");
  }

  /** No two options of one level share a number: the (level, optname) lookup is unambiguous. */
  @Test
  void optionNumbersAreUniquePerLevel() {
    Set<String> seen = new HashSet<>();
    for (Symbol s : Symbol.values()) {
      s.kind().level().ifPresent(level ->
          assertTrue(seen.add(level.value() + "/" + s.value()), s + " repeats an option number"));
    }
    assertTrue(seen.size() > 95, "options of four levels");
  }

  /**
   * Every name the installed kernel and C library headers define agrees with the table: #define
   * NAME value (or NAME OTHER_NAME) and enumerators, with implicit enumerator values counted as C
   * counts them. Names defined differently in #if branches match if any branch agrees.
   */
  @Test
  void tableMatchesTheInstalledHeaders() throws IOException {
    List<Path> headers = List.of(
        "asm-generic/socket.h", "asm-generic/sockios.h", "linux/sockios.h", "asm-generic/ioctls.h",
        "asm-generic/fcntl.h", "asm-generic/poll.h", "linux/tcp.h", "linux/in.h", "linux/in6.h",
        "linux/if.h", "linux/if_packet.h", "linux/route.h", "linux/if_ether.h", "linux/sched.h", "netinet/tcp.h",
        "x86_64-linux-gnu/bits/socket.h", "x86_64-linux-gnu/bits/socket_type.h",
        "x86_64-linux-gnu/bits/eventfd.h", "x86_64-linux-gnu/bits/in.h",
        "x86_64-linux-gnu/sys/socket.h", "netinet/udp.h", "linux/errqueue.h", "linux/net_tstamp.h",
        "x86_64-linux-gnu/sys/epoll.h", "x86_64-linux-gnu/bits/epoll.h", "x86_64-linux-gnu/bits/fcntl.h",
        "x86_64-linux-gnu/bits/fcntl-linux.h", "x86_64-linux-gnu/bits/poll.h", "stdio.h",
        "linux/capability.h", "sys/capability.h")
        .stream().map(h -> Path.of("/usr/include", h)).filter(Files::exists).toList();
    assumeTrue(headers.size() >= 12, "kernel and C library headers absent (linux-libc-dev, libc6-dev)");
    Map<String, Set<Long>> defined = new HashMap<>();
    Map<String, String> aliases = new HashMap<>();
    for (Path h : headers) collect(Files.readString(h), defined, aliases);
    for (int round = 0; round < 4; round++) { // chains such as AF_UNIX -> PF_UNIX -> PF_LOCAL
      aliases.forEach((name, target) -> {
        Set<Long> v = defined.get(target);
        if (v != null) defined.computeIfAbsent(name, k -> new HashSet<>()).addAll(v);
      });
    }
    List<String> unverified = new ArrayList<>();
    int verified = 0;
    for (Symbol s : Symbol.values()) {
      Set<Long> values = defined.getOrDefault(s.name(), Set.of());
      if (values.isEmpty()) {
        unverified.add(s.name());
        continue;
      }
      // C reads 1u << 31 (EPOLLET) as an unsigned number; the table holds its 32 bits in an int.
      boolean agrees = values.contains((long) s.value()) || values.contains(s.value() & 0xFFFF_FFFFL);
      assertTrue(agrees, s + " = " + s.value() + ", headers say " + values);
      verified++;
    }
    // Kernel-internal (include/net/tcp_states.h, include/net/tcp.h), newer than Linux 6.1's uapi
    // headers, or packetdrill's own spelling (symbols_linux.c, tcp.h, script.c).
    Set<String> notInHeaders = new HashSet<>(Set.of("TCP_NEW_SYN_RECV", "TCP_INFINITE_SSTHRESH",
        "TCPI_OPT_USEC_TS", "TCPI_OPT_ECN_LOW", "SOF_TIMESTAMPING_OPT_ID_TCP", "TCP_RTO_MAX_MS", "TCP_RTO_MIN_US",
        "TCP_CA_OPEN", "TCP_CA_DISORDER", "TCP_CA_RECOVERY", "TCP_CA_LOSS", "TCPI_OPT_TFO_CHILD", "NULL"));
    if (!Files.exists(Path.of("/usr/include/sys/capability.h"))) { // libcap-dev not installed
      notInHeaders.addAll(Set.of("CAP_EFFECTIVE", "CAP_PERMITTED", "CAP_INHERITABLE", "CAP_CLEAR", "CAP_SET"));
    }
    assertTrue(notInHeaders.containsAll(unverified),
        verified + " of " + Symbol.values().length + " found in the headers; not found: " + unverified);
  }

  private static final Pattern DEFINE =
      Pattern.compile("(?m)^\\s*#\\s*define\\s+(\\w+)\\s+\\(?\\s*(?:\\(unsigned long int\\)\\s*)?(\\w+)\\s*\\)?\\s*(?:/\\*.*)?$");
  private static final Pattern ENUM = Pattern.compile("(?s)enum\\s*\\w*\\s*\\{(.*?)\\}");
  private static final Pattern ENUMERATOR =
      Pattern.compile("^\\s*(\\w+)\\s*(?:=\\s*\\(?\\s*(\\w+)\\s*(?:<<\\s*(\\w+))?\\s*\\)?)?\\s*$");

  private static void collect(String text, Map<String, Set<Long>> defined, Map<String, String> aliases) {
    Matcher d = DEFINE.matcher(text);
    while (d.find()) {
      Long v = number(d.group(2));
      if (v != null) defined.computeIfAbsent(d.group(1), k -> new HashSet<>()).add(v);
      else if (!d.group(1).equals(d.group(2))) aliases.put(d.group(1), d.group(2));
    }
    String noComments = text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)^\\s*#.*$", "");
    Matcher e = ENUM.matcher(noComments);
    while (e.find()) {
      Map<String, Long> earlier = new HashMap<>();
      long next = 0;
      for (String item : e.group(1).split(",")) {
        Matcher m = ENUMERATOR.matcher(item);
        if (!m.matches()) continue;
        Long v = m.group(2) == null ? Long.valueOf(next) : number(m.group(2));
        if (v == null) v = earlier.get(m.group(2)); // MSG_TRYHARD = MSG_DONTROUTE
        if (v != null && m.group(3) != null) {
          Long shift = number(m.group(3));
          v = shift == null ? null : v << shift;
        }
        if (v == null) break; // an expression this reader does not evaluate
        earlier.put(m.group(1), v);
        defined.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(v);
        next = v + 1;
      }
    }
  }

  /** A C integer constant (decimal, 0x hex, 0 octal, U/L suffixes); null for anything else. */
  private static Long number(String token) {
    String t = token.replaceAll("[uUlL]+$", "");
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) return Long.parseLong(t.substring(2), 16);
      if (t.length() > 1 && t.startsWith("0")) return Long.parseLong(t.substring(1), 8);
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
