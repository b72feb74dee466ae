package org.tcpspec.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.script.Pos;

/**
 * The python3 program of a script's {@code %{ }%} blocks: each block's counters are the ones taken
 * at its event, though the text is written at the end; a program of blank blocks starts no process;
 * python3 is looked for on the PATH without being run.
 */
class PythonCodeTest {

  @Test
  void eachBlockSeesTheCountersTakenAtItsEventThoughTheProgramIsWrittenAtTheEnd() {
    PythonCode code = new PythonCode();
    code.add(new Pos("t.pkt", 3, 1), TcpInfo.of(Map.of(TcpInfo.Field.STATE, 2L)), Optional.empty(), "a = 1");
    code.add(new Pos("t.pkt", 7, 1), TcpInfo.of(Map.of(TcpInfo.Field.STATE, 1L)), Optional.of(new long[] {5, 6}),
        "assert tcpi_state == TCP_ESTABLISHED");
    String program = code.program();
    int first = program.indexOf("_line = 3\na = 1\n");
    int second = program.indexOf("_line = 7\nassert tcpi_state == TCP_ESTABLISHED\n");
    assertTrue(first > 0 && second > first, program);
    String firstBlock = program.substring(0, first);
    String secondBlock = program.substring(first, second);
    assertTrue(firstBlock.contains("TCP_ESTABLISHED = 1\n") && firstBlock.contains("tcpi_state = 2\n"), firstBlock);
    assertFalse(firstBlock.contains("SK_MEMINFO_RMEM_ALLOC"), firstBlock);
    assertTrue(secondBlock.contains("TCP_ESTABLISHED = 1\n") && secondBlock.contains("tcpi_state = 1\n"), secondBlock);
    assertTrue(secondBlock.contains("SK_MEMINFO_RMEM_ALLOC = 5\nSK_MEMINFO_RCVBUF = 6\n"), secondBlock);
  }

  /** The folder does not exist, so a started process fails to start: that is how a start shows. */
  @Test
  void aProgramOfBlankBlocksStartsNoPython3() throws Exception {
    Path nowhere = Path.of("/nonexistent-tcpspec-folder");
    PythonCode blank = new PythonCode();
    blank.add(new Pos("t.pkt", 1, 1), TcpInfo.of(Map.of()), Optional.empty(), "");
    blank.add(new Pos("t.pkt", 2, 1), TcpInfo.of(Map.of()), Optional.empty(), " \n\t");
    assertEquals(Optional.empty(), blank.execute("t.pkt", nowhere));

    PythonCode notBlank = new PythonCode();
    notBlank.add(new Pos("t.pkt", 1, 1), TcpInfo.of(Map.of()), Optional.empty(), "");
    notBlank.add(new Pos("t.pkt", 2, 1), TcpInfo.of(Map.of()), Optional.empty(), "pass");
    assertThrows(IOException.class, () -> notBlank.execute("t.pkt", nowhere));
  }

  @Test
  void python3IsLookedForAsAnExecutableFileOnThePath(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Path notExecutable = Files.createDirectory(dir.resolve("plain"));
    Files.writeString(notExecutable.resolve("python3"), "#!/bin/sh\n");
    Path executable = Files.createDirectory(dir.resolve("bin"));
    Files.writeString(executable.resolve("python3"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(executable.resolve("python3"), PosixFilePermissions.fromString("rwxr-xr-x"));

    assertTrue(PythonCode.onPath(empty + ":" + notExecutable + ":" + executable));
    assertFalse(PythonCode.onPath(empty + ":" + notExecutable));
    assertFalse(PythonCode.onPath(null));
  }
}
