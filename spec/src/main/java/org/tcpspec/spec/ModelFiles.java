package org.tcpspec.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The .tla, .cfg and manifest files of spec/, packaged as classpath resources under
 * {@value #RESOURCE_DIR}, copied to a fresh temporary directory so TLC can read them whether the
 * classes come from a jar (the CLI, impl's tests) or from target/classes (this module's tests).
 */
public final class ModelFiles {

  /** Where spec/pom.xml puts the model files on the classpath. */
  public static final String RESOURCE_DIR = "org/tcpspec/spec/models";

  private ModelFiles() {}

  /** Copies every packaged model file into a new temporary directory and returns it. */
  public static Path extract() throws IOException {
    Path target = Files.createTempDirectory("tcpspec-models-");
    URL manifest = ModelFiles.class.getClassLoader().getResource(RESOURCE_DIR + "/" + Manifest.FILE);
    if (manifest == null) {
      throw new IOException("no " + RESOURCE_DIR + "/" + Manifest.FILE + " on the classpath");
    }
    URI uri;
    try {
      uri = manifest.toURI();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    if (uri.getScheme().equals("jar")) {
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        copyAll(jar.provider().getPath(uri).getParent(), target);
      }
    } else {
      copyAll(Path.of(uri).getParent(), target);
    }
    return target;
  }

  private static void copyAll(Path from, Path to) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(from)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      Files.copy(f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes a directory made by {@link #extract()} or by a TLC run, best effort. */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // A leftover temporary file is not worth failing a check for.
    }
  }
}
