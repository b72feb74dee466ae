package org.tcpspec.conformance.sut;

import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.run.SutFactory;

/**
 * The systems under test by name, as {@code --sut} spells them. It lives beside the
 * implementations, not in {@code run}: the runner knows the seam only, the CLI picks the systems.
 */
public final class Suts {
  private Suts() {}

  public static final List<String> NAMES = List.of("linux", "java");

  public static Optional<SutFactory> byName(String name) {
    return switch (name) {
      case "linux" -> Optional.of(LinuxSut.factory());
      case "java" -> Optional.of(JavaSut.factory());
      default -> Optional.empty();
    };
  }
}
