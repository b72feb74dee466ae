package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;

/** Tests' scripts written on the spot and played on the java stack. */
final class JavaScriptRuns {
  private JavaScriptRuns() {}

  /** Writes {@code lines} (each ended by a newline) to {@code fileName} in {@code dir} and plays it on a {@link JavaSut}. */
  static RunResult runOnJava(Path dir, String fileName, String... lines) throws IOException {
    Path script = dir.resolve(fileName);
    Files.writeString(script, String.join("\n", lines) + "\n");
    return Runner.runOne(script, JavaSut.factory());
  }
}
