package org.tcpspec.conformance.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.SystemUnderTest;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.sut.JavaSut;
import org.tcpspec.conformance.sut.LinuxSut;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;

/**
 * A short seeded run of the differential loop: java judged against itself agrees (the recording,
 * the expected script made from it and the judged run fit together), a java that never sends a pure
 * ACK is caught and the finding shrunk and written, and on a machine with the linux system under
 * test two sequences play there end to end.
 */
class DifferSmokeTest {
  private static final long MINUTE_NANOS = 60_000_000_000L;

  @Test
  void javaJudgedAgainstItselfAgrees(@TempDir Path out) throws IOException {
    Differ.Outcome o = new Differ(JavaSut.factory(), JavaSut.factory(), out).run(7, MINUTE_NANOS, 8, 3, line -> {});
    assertEquals(8, o.sequences());
    assertEquals(8, o.agreed(), o.notJudgedReasons().toString());
    assertTrue(o.findings().isEmpty());
    assertTrue(Files.readString(out.resolve("findings.md")).contains("8 sequences, 8 agreed"));
  }

  @Test
  void aStackThatSendsNoPureAckIsCaughtAndShrunk(@TempDir Path out) throws IOException {
    SutFactory mutant = withoutPureAcks(JavaSut.factory());
    Differ.Outcome o = new Differ(JavaSut.factory(), mutant, out).run(7, MINUTE_NANOS, 8, 1, line -> {});
    assertEquals(1, o.findings().size());
    Finding f = o.findings().getFirst();
    assertEquals("java sends > ., java-without-pure-acks does not", f.signature());
    assertTrue(f.stepsAfter() <= f.stepsBefore());
    assertInstanceOf(Verdict.Pass.class, Runner.runOne(f.script(), JavaSut.factory()).verdict());
    assertInstanceOf(Verdict.Fail.class, Runner.runOne(f.script(), mutant).verdict());
    String text = Files.readString(f.script());
    assertTrue(text.startsWith("// Differential finding: " + f.signature()), text);
    assertFalse(Files.exists(out.resolve("work")));
  }

  @Test
  void aReviewedSignatureIsCountedNotWrittenAgain(@TempDir Path out) throws IOException {
    Set<String> known = Set.of("java sends > ., java-without-pure-acks does not");
    Differ.Outcome o = new Differ(JavaSut.factory(), withoutPureAcks(JavaSut.factory()), out, known)
        .run(7, MINUTE_NANOS, 4, 1, line -> {});
    assertTrue(o.findings().isEmpty(), o.findings().toString());
    assertTrue(o.known() > 0);
    assertEquals(o.diverged(), o.known());
  }

  @Test
  void theReviewedFindingsOfTheRecordedRunNameTheirSignatures() throws IOException {
    Set<String> reviewed = Differ.reviewedSignatures(Path.of("../reports/differential-reviewed"));
    assertEquals(10, reviewed.size(), reviewed.toString());
    assertTrue(reviewed.contains("timing of > ."), reviewed.toString());
    assertTrue(reviewed.contains("timing of > F."), reviewed.toString());
    assertFalse(reviewed.contains("outbound ack"), "fixed (10 and 21), so a regression is a finding");
    assertFalse(reviewed.contains("shutdown: linux ENOTCONN, java 0"), "fixed, so a regression is a finding");
    assertFalse(reviewed.contains("outbound live packet payload"), "fixed, so a regression is a finding");
    assertFalse(reviewed.contains("outbound option sack"), "fixed (a held FIN), so a regression is a finding");
    assertFalse(reviewed.contains("flags: linux P., java ."), "fixed (PSH kept), so a regression is a finding");
  }

  @Test
  void twoSequencesPlayOnLinux(@TempDir Path out) throws IOException {
    Optional<String> why = LinuxSut.factory().unavailable();
    assumeTrue(why.isEmpty(), () -> "linux system under test: " + why.orElse(""));
    Differ.Outcome o = new Differ(LinuxSut.factory(), JavaSut.factory(), out).run(11, MINUTE_NANOS, 2, 2, line -> {});
    assertEquals(2, o.sequences());
    assertEquals(0, o.notJudged(), o.notJudgedReasons().toString());
    assertEquals(2, o.agreed() + o.diverged());
  }

  /** A java stack whose pure ACKs are lost on the way out. */
  private static SutFactory withoutPureAcks(SutFactory inner) {
    return new SutFactory() {
      @Override
      public String name() {
        return "java-without-pure-acks";
      }

      @Override
      public Optional<String> unavailable() {
        return inner.unavailable();
      }

      @Override
      public boolean parallel() {
        return true;
      }

      @Override
      public SystemUnderTest open(String scriptName, RunConfig config) throws IOException {
        return new WithoutPureAcks(inner.open(scriptName, config));
      }
    };
  }

  private record WithoutPureAcks(SystemUnderTest inner) implements SystemUnderTest {
    @Override
    public String name() {
      return "java-without-pure-acks";
    }

    @Override
    public boolean exactTiming() {
      return inner.exactTiming();
    }

    @Override
    public long nowMicros() {
      return inner.nowMicros();
    }

    @Override
    public void sleepUntil(long micros) throws InterruptedException {
      inner.sleepUntil(micros);
    }

    @Override
    public long inject(Segment segment, Ipv4Params ip) throws IOException {
      return inner.inject(segment, ip);
    }

    @Override
    public long injectIcmp(byte[] packet) throws IOException {
      return inner.injectIcmp(packet);
    }

    @Override
    public Optional<Sniffed> sniff(long deadlineMicros) throws IOException, InterruptedException {
      while (true) {
        Optional<Sniffed> s = inner.sniff(deadlineMicros);
        if (s.isEmpty() || s.get().segment().flags() != TcpFlags.ACK || s.get().segment().payloadLength() > 0) {
          return s;
        }
      }
    }

    @Override
    public Pending start(SocketCall call) {
      return inner.start(call);
    }

    @Override
    public Optional<Returned> callAtOnce(SocketCall call, long limitMicros) throws InterruptedException {
      return inner.callAtOnce(call, limitMicros);
    }

    @Override
    public ShellResult shell(String commandLine, Path directory) throws IOException, InterruptedException {
      return inner.shell(commandLine, directory);
    }

    @Override
    public Optional<TcpInfo> tcpInfo(int liveFd) {
      return inner.tcpInfo(liveFd);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
