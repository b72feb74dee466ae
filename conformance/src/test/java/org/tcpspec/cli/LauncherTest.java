package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./tcpspec} launcher's AOT cache, on a copy of the launcher in a scratch tree whose
 * CLI jar is a small program printing its build, its arguments and the JVM's AOT flag (so no
 * Maven build and no training on the real CLI): the first run makes the cache and uses it, later
 * runs use it without making it again, a newer jar makes it again before any use, a training run
 * that makes none leaves none, and a damaged cache never shows in the output or the exit code.
 */
class LauncherTest {

  private static final String MAIN = """
      public class Main {
        static final String BUILD = "%s";
        public static void main(String[] args) {
          System.out.println("build=" + BUILD + " args=" + String.join(" ", args));
          for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-XX:AOTCache=")) System.out.println("aot=" + a.substring("-XX:AOTCache=".length()));
            if (a.equals("-XX:TieredStopAtLevel=1")) System.out.println("jit=c1");
          }
        }
      }
      """;

  @TempDir Path root;
  private Path jar;
  private Path cache;

  /** Exit code and both streams of one launch. */
  private record Launch(int exitCode, String out, String err) {}

  @BeforeEach
  void scratchTree() throws Exception {
    Path launcher = root.resolve("tcpspec");
    Files.copy(Path.of("../tcpspec"), launcher);
    assertTrue(launcher.toFile().setExecutable(true));
    for (String d : List.of("spec", "impl", "conformance/target")) Files.createDirectories(root.resolve(d));
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(Instant.now().minusSeconds(3600)));
    jar = root.resolve("conformance/target/tcpspec-cli.jar");
    cache = root.resolve("conformance/target/tcpspec-cli.aot");
    writeJar("first");
  }

  /** The program as the CLI jar; another {@code build} makes other bytes of the same program. */
  private void writeJar(String build) throws IOException {
    Path src = Files.createDirectories(root.resolve("src"));
    Files.writeString(src.resolve("Main.java"), MAIN.formatted(build));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, "-d", src.toString(), src.resolve("Main.java").toString()));
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Main");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry("Main.class"));
      out.write(Files.readAllBytes(src.resolve("Main.class")));
      out.closeEntry();
    }
  }

  private Launch launch(Map<String, String> env, String... args) throws Exception {
    return launchFrom(root, root.resolve("tcpspec").toString(), env, args);
  }

  /** The launcher started as {@code launcher} (a path relative to {@code cwd} or absolute) in {@code cwd}. */
  private Launch launchFrom(Path cwd, String launcher, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(launcher));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("TCPSPEC_AOT");
    pb.environment().putAll(env);
    Path out = root.resolve("out.txt");
    Path err = root.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int code = p.waitFor();
    return new Launch(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private Launch launch(String... args) throws Exception {
    return launch(Map.of(), args);
  }

  private String usingTheCache(String build, String args) {
    return "build=" + build + " args=" + args + "\naot=" + cache + "\n";
  }

  @Test
  void theFirstRunMakesTheCacheAndLaterRunsUseIt() throws Exception {
    Launch first = launch("run", "x.pkt");
    assertEquals(new Launch(0, usingTheCache("first", "run x.pkt"), first.err()), first);
    assertTrue(first.err().contains("making the JVM's AOT cache"), first.err());
    assertTrue(Files.size(cache) > 0);

    assertEquals(new Launch(0, usingTheCache("first", "--version"), ""), launch("--version"));
  }

  /**
   * A cache is never handed to the JVM with a jar built after it: JDK 25 checks the jar it was
   * made with by size and time, and was seen to run a same-size jar's old classes from the cache.
   */
  @Test
  void aNewerJarMakesTheCacheAgainBeforeUsingOne() throws Exception {
    launch("--version");
    writeJar("2nd__");

    Launch next = launch("--version");
    assertEquals(new Launch(0, usingTheCache("2nd__", "--version"), next.err()), next);
    assertTrue(next.err().contains("making the JVM's AOT cache"), next.err());
    assertTrue(Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) > 0, "made after the jar");
  }

  /** The JVM makes no cache with AOTMode=off: a training run that fails removes the old one. */
  @Test
  void aTrainingRunThatMakesNoCacheLeavesNoneAndTheRunStartsWithout() throws Exception {
    launch("--version");
    writeJar("2nd__");

    Launch next = launch(Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=off"), "--version");
    assertEquals(new Launch(0, "build=2nd__ args=--version\n", next.err()), next);
    assertTrue(next.err().contains("no AOT cache"), next.err());
    assertTrue(!Files.exists(cache), "the first jar's cache is gone");
    // Not tried again for the same jar.
    assertEquals(new Launch(0, "build=2nd__ args=--version\n", ""), launch("--version"));
  }

  @Test
  void aDamagedCacheIsIgnoredSilently() throws Exception {
    launch("--version");
    Files.writeString(cache, "not an AOT cache");

    assertEquals(new Launch(0, usingTheCache("first", "--version"), ""), launch("--version"));
  }

  /** The cache is made for the checkout, not for the path the launcher was started by. */
  @Test
  void startedFromAnotherFolderByARelativePathItUsesTheSameCache() throws Exception {
    launch("--version");
    Path sub = Files.createDirectories(root.resolve("conformance/target"));
    assertEquals(new Launch(0, usingTheCache("first", "--version"), ""), launchFrom(sub, "../../tcpspec", Map.of(), "--version"));
    assertEquals(new Launch(0, usingTheCache("first", "--version"), ""), launchFrom(root, "./tcpspec", Map.of(), "--version"));
  }

  /** Runs that play linux cells alone compile with C1 only; every other run keeps C2. */
  @Test
  void onlyLinuxOnlyRunsAndConformsGetC1Alone() throws Exception {
    launch("--version");
    for (List<String> args : List.of(List.of("run", "--sut", "linux", "x.pkt"), List.of("run", "--sut=linux", "x.pkt"),
        List.of("conform", "--sut", "linux"))) {
      assertTrue(launch(args.toArray(String[]::new)).out().contains("jit=c1\n"), args.toString());
    }
    for (List<String> args : List.of(List.of("run", "x.pkt"), List.of("run", "--sut", "linux,java", "x.pkt"),
        List.of("run", "--sut", "java", "x.pkt"), List.of("bench", "--sut", "linux"))) {
      assertTrue(!launch(args.toArray(String[]::new)).out().contains("jit="), args.toString());
    }
  }

  @Test
  void tcpspecAotOffNeitherMakesNorUsesOne() throws Exception {
    assertEquals(new Launch(0, "build=first args=--version\n", ""), launch(Map.of("TCPSPEC_AOT", "off"), "--version"));
    assertTrue(!Files.exists(cache), "no cache made");
  }
}
