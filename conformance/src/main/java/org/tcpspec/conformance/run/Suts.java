package org.tcpspec.conformance.run;

import java.util.List;
import java.util.Optional;

/** The systems under test by name, as {@code --sut} spells them. */
public final class Suts {
  private Suts() {}

  public static final List<String> NAMES = List.of("linux", "java");

  public static Optional<SutFactory> byName(String name) {
    return switch (name) {
      case "linux" -> Optional.of(org.tcpspec.conformance.sut.LinuxSut.factory());
      case "java" -> Optional.of(SutFactory.notAvailable("java",
          "core stack not landed (issue #4)"));
      default -> Optional.empty();
    };
  }
}
