package org.tcpspec.conformance.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.script.Pos;
import org.tcpspec.conformance.script.ScriptOption;

/**
 * An address family a script runs in under {@code --variants}, with the arguments google/packetdrill's
 * run_all.py gives packetdrill for it (CmdTestIPv4, CmdTestIPv4Mappedv6, CmdTestIPv6): addresses,
 * the IPv6 MTU, the {@code -D} definitions. As run_all.py does, a script whose name ends in
 * {@code v6.pkt} runs only as ipv6, one ending in {@code v4.pkt} not as ipv6.
 *
 * @param name "ipv4", "ipv4-mapped-ipv6" or "ipv6"; empty for a run outside any variant
 * @param options the command-line options of the variant, before the user's own
 */
public record Variant(String name, List<ScriptOption> options) {
  public Variant {
    options = List.copyOf(options);
  }

  /** No variant: the script as the command line alone says. */
  public static final Variant NONE = new Variant("", List.of());

  /** The names {@code --variants} takes, in run_all.py's order. */
  public static final List<String> NAMES = List.of("ipv4", "ipv4-mapped-ipv6", "ipv6");

  public static Optional<Variant> byName(String name) {
    String arguments = switch (name) {
      case "ipv4" -> "--ip_version=ipv4 --local_ip=192.168.0.1 --gateway_ip=192.168.0.1"
          + " --netmask_ip=255.255.0.0 --remote_ip=192.0.2.1 -D TFO_COOKIE=3021b9d889017eeb"
          + " -D CODE=host_unreachable -D CMSG_LEVEL_IP=SOL_IP -D CMSG_TYPE_RECVERR=IP_RECVERR";
      case "ipv4-mapped-ipv6" -> "--ip_version=ipv4-mapped-ipv6 --local_ip=192.168.0.1"
          + " --gateway_ip=192.168.0.1 --netmask_ip=255.255.0.0 --remote_ip=192.0.2.1"
          + " -D TFO_COOKIE=3021b9d889017eeb -D CODE=host_unreachable -D CMSG_LEVEL_IP=SOL_IPV6"
          + " -D CMSG_TYPE_RECVERR=IPV6_RECVERR";
      case "ipv6" -> "--ip_version=ipv6 --mtu=1520 --local_ip=fd3d:0a0b:17d6::1"
          + " --gateway_ip=fd3d:0a0b:17d6:8888::1 --remote_ip=fd3d:fa7b:d17d::1"
          + " -D TFO_COOKIE=c1d1e9742a47a9bc -D CMSG_LEVEL_IP=SOL_IPV6"
          + " -D CMSG_TYPE_RECVERR=IPV6_RECVERR";
      default -> null;
    };
    if (arguments == null) return Optional.empty();
    return Optional.of(new Variant(name, arguments(List.of(arguments.split(" ")))));
  }

  /** Whether run_all.py runs {@code script} in this variant. */
  public boolean appliesTo(Path script) {
    String file = String.valueOf(script.getFileName());
    return switch (name) {
      case "ipv4", "ipv4-mapped-ipv6" -> !file.endsWith("v6.pkt");
      case "ipv6" -> !file.endsWith("v4.pkt");
      default -> true;
    };
  }

  /**
   * packetdrill command-line words as options: {@code --name=value}, {@code --flag}, {@code -D
   * NAME=VALUE} (or {@code -DNAME=VALUE}, {@code --define NAME=VALUE}), {@code -v}.
   *
   * @throws IllegalArgumentException for a word that is no option, or an option missing its value
   */
  public static List<ScriptOption> arguments(List<String> words) {
    Pos where = new Pos(RunConfig.COMMAND_LINE, 0, 0);
    List<ScriptOption> out = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w.isEmpty()) continue;
      if (w.equals("-v")) {
        out.add(new ScriptOption(where, "verbose", Optional.empty()));
      } else if (w.startsWith("-D") && !w.startsWith("--")) {
        String value = w.length() > 2 ? w.substring(2) : next(words, ++i, w);
        out.add(new ScriptOption(where, "define", Optional.of(value)));
      } else if (w.startsWith("--")) {
        int eq = w.indexOf('=');
        String name = eq < 0 ? w.substring(2) : w.substring(2, eq);
        Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(w.substring(eq + 1));
        if (value.isEmpty() && RunConfig.isOption(name) && RunConfig.takesValue(name)) {
          value = Optional.of(next(words, ++i, w));
        }
        out.add(new ScriptOption(where, name, value));
      } else {
        throw new IllegalArgumentException("not a packetdrill option: " + w);
      }
    }
    return out;
  }

  private static String next(List<String> words, int i, String option) {
    if (i >= words.size()) throw new IllegalArgumentException("option " + option + " requires an argument");
    return words.get(i);
  }
}
