package org.tcpspec.conformance.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.script.Pos;
import org.tcpspec.conformance.script.ScriptOption;

/**
 * An address family a script runs in under {@code --variants}, with the arguments a corpus's own
 * runner gives packetdrill for it: addresses, the IPv6 MTU, the {@code -D} definitions. Two
 * runners are known ({@link Set}): google/packetdrill's run_all.py, whose ipv4 and
 * ipv4-mapped-ipv6 skip a script named {@code *v6.pkt} and whose ipv6 skips {@code *v4.pkt}, and
 * the Linux selftests' ksft_runner.sh, which runs a script in the families of its own {@code
 * --ip_version=} lines, or in ipv4 and ipv6 when it has none.
 *
 * @param name "ipv4", "ipv4-mapped-ipv6" or "ipv6", the {@code --ip_version} it runs with; empty
 *     for a run outside any variant
 * @param options the command-line options of the variant, before the user's own
 * @param set whose modes these are
 */
public record Variant(String name, List<ScriptOption> options, Set set) {
  public Variant {
    options = List.copyOf(options);
  }

  /** No variant: the script as the command line alone says. */
  public static final Variant NONE = new Variant("", List.of(), Set.GTESTS);

  /** The names {@code --variants} takes, in run_all.py's order. */
  public static final List<String> NAMES = List.of("ipv4", "ipv4-mapped-ipv6", "ipv6");

  /** The IPv4 (and IPv4-mapped) addresses of both runners, and the Fast Open cookie of their key. */
  private static final String IPV4 = "--local_ip=192.168.0.1 --gateway_ip=192.168.0.1 --netmask_ip=255.255.0.0"
      + " --remote_ip=192.0.2.1 -D TFO_COOKIE=3021b9d889017eeb";
  /** The IPv6 MTU and addresses of both runners, and the Fast Open cookie of their key. */
  private static final String IPV6 = "--mtu=1520 --local_ip=fd3d:0a0b:17d6::1 --gateway_ip=fd3d:0a0b:17d6:8888::1"
      + " --remote_ip=fd3d:fa7b:d17d::1 -D TFO_COOKIE=c1d1e9742a47a9bc";
  private static final String IPV4_CMSG = "-D CMSG_LEVEL_IP=SOL_IP -D CMSG_TYPE_RECVERR=IP_RECVERR";
  private static final String IPV6_CMSG = "-D CMSG_LEVEL_IP=SOL_IPV6 -D CMSG_TYPE_RECVERR=IPV6_RECVERR";

  /** The corpora whose runners' modes {@code --variant-set} names. */
  public enum Set {
    /** google/packetdrill's gtests/net/tcp/run_all.py (CmdTestIPv4, CmdTestIPv4Mappedv6, CmdTestIPv6). */
    GTESTS("gtests", NAMES),
    /** tools/testing/selftests/net/packetdrill/ksft_runner.sh's ip_args. */
    SELFTESTS("selftests", List.of("ipv4", "ipv6"));

    private final String cliName;
    private final List<String> families;

    Set(String cliName, List<String> families) {
      this.cliName = cliName;
      this.families = families;
    }

    /** What {@code --variant-set} calls it. */
    public String cliName() {
      return cliName;
    }

    /** The families it runs scripts in, in its runner's order. */
    public List<String> families() {
      return families;
    }

    public static Optional<Set> byCliName(String name) {
      for (Set s : values()) if (s.cliName.equals(name)) return Optional.of(s);
      return Optional.empty();
    }

    /** Its variant for {@code family}, if its runner has one. */
    public Optional<Variant> variant(String family) {
      // Both runners use the same addresses, Fast Open cookies and error-queue levels per family;
      // run_all.py adds CODE to its IPv4 modes, ksft_runner.sh TFO_COOKIE_ZERO (a zero key's cookie).
      String arguments = switch (this) {
        case GTESTS -> switch (family) {
          case "ipv4" -> "--ip_version=ipv4 " + IPV4 + " -D CODE=host_unreachable " + IPV4_CMSG;
          case "ipv4-mapped-ipv6" -> "--ip_version=ipv4-mapped-ipv6 " + IPV4 + " -D CODE=host_unreachable "
              + IPV6_CMSG;
          case "ipv6" -> "--ip_version=ipv6 " + IPV6 + " " + IPV6_CMSG;
          default -> null;
        };
        case SELFTESTS -> switch (family) {
          case "ipv4" -> "--ip_version=ipv4 " + IPV4 + " -D TFO_COOKIE_ZERO=b7c12350a90dc8f5 " + IPV4_CMSG;
          case "ipv6" -> "--ip_version=ipv6 " + IPV6 + " -D TFO_COOKIE_ZERO=82af1a8f9a205c34 " + IPV6_CMSG;
          default -> null;
        };
      };
      if (arguments == null) return Optional.empty();
      return Optional.of(new Variant(family, arguments(List.of(arguments.split(" "))), this));
    }
  }

  /** run_all.py's variant {@code name}. */
  public static Optional<Variant> byName(String name) {
    return Set.GTESTS.variant(name);
  }

  /** Whether the corpus's runner runs {@code script} in this variant. */
  public boolean appliesTo(Path script) {
    if (name.isEmpty()) return true;
    return switch (set) {
      case GTESTS -> {
        String file = String.valueOf(script.getFileName());
        yield name.equals("ipv6") ? !file.endsWith("v4.pkt") : !file.endsWith("v6.pkt");
      }
      case SELFTESTS -> {
        List<String> own = ownIpVersions(script);
        yield own.isEmpty() || own.contains(name);
      }
    };
  }

  /**
   * The values of a script's own {@code --ip_version=} lines, as ksft_runner.sh greps them
   * ({@code ^--ip_version=}); none for a script that cannot be read (its run then says why).
   */
  public static List<String> ownIpVersions(Path script) {
    try (var lines = Files.lines(script)) {
      return lines.filter(l -> l.startsWith("--ip_version=")).map(l -> l.substring("--ip_version=".length()).strip())
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
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
