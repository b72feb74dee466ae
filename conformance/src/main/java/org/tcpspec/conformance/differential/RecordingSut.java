package org.tcpspec.conformance.differential;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.SystemUnderTest;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;

/**
 * A system under test that records everything another one sends, not only the packets the script
 * expects: before every injection, call and wait it collects what the inner system sent meanwhile,
 * and hands the interpreter's {@link #sniff} the collected packets first. The log is in the order
 * things happened: a packet collected before stimulus k+1 was sent after stimulus k. Packets the
 * interpreter never asked for are the ones a script without outbound lines did not expect (the
 * reference run) or the ones it did not expect (an extra packet in the judged run).
 */
final class RecordingSut implements SystemUnderTest {

  /** One thing that happened, in order. */
  sealed interface Entry {
    /** A packet the system under test sent; {@code expected} once the interpreter took it. */
    final class Sent implements Entry {
      final Sniffed packet;
      boolean expected;

      Sent(Sniffed packet) {
        this.packet = packet;
      }
    }

    /** A segment injected. */
    record Injected(long micros, Segment segment) implements Entry {}

    /** A socket call and what it returned. */
    record Called(SocketCall call, Returned returned) implements Entry {}
  }

  private final SystemUnderTest inner;
  private final List<Entry> log = new ArrayList<>();
  private final Deque<Entry.Sent> unread = new ArrayDeque<>();
  /** The interpreter reads the clock once, before the first event, for script time 0. */
  private long originMicros = -1;

  RecordingSut(SystemUnderTest inner) {
    this.inner = inner;
  }

  /** A factory whose systems under test are recorded; {@code sink} gets each one as it opens. */
  static SutFactory factory(SutFactory inner, java.util.function.Consumer<RecordingSut> sink) {
    return new SutFactory() {
      @Override
      public String name() {
        return inner.name();
      }

      @Override
      public Optional<String> unavailable() {
        return inner.unavailable();
      }

      @Override
      public boolean parallel() {
        return inner.parallel();
      }

      @Override
      public SystemUnderTest open(String scriptName, RunConfig config) throws IOException {
        RecordingSut r = new RecordingSut(inner.open(scriptName, config));
        sink.accept(r);
        return r;
      }

      @Override
      public void warmUp() {
        inner.warmUp();
      }
    };
  }

  /** What happened, in order. */
  List<Entry> log() {
    return List.copyOf(log);
  }

  /** Script time 0 on the inner system's clock. */
  long originMicros() {
    return originMicros;
  }

  /** Collects what the inner system has sent until {@code deadlineMicros} (at once: until now). */
  private void collect(long deadlineMicros) throws IOException {
    try {
      while (true) {
        Optional<Sniffed> s = inner.sniff(deadlineMicros);
        if (s.isEmpty()) return;
        Entry.Sent sent = new Entry.Sent(s.get());
        log.add(sent);
        unread.add(sent);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while recording", e);
    }
  }

  /** What was sent until now, without waiting (a real-time system reads what has arrived). */
  private void collectNow() throws IOException {
    collect(inner.nowMicros() + (inner.exactTiming() ? 0 : 1));
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public boolean exactTiming() {
    return inner.exactTiming();
  }

  @Override
  public long nowMicros() {
    long now = inner.nowMicros();
    if (originMicros < 0) originMicros = now;
    return now;
  }

  @Override
  public void sleepUntil(long micros) throws InterruptedException {
    try {
      collect(micros);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    inner.sleepUntil(micros);
  }

  @Override
  public long inject(Segment segment, Ipv4Params ip) throws IOException {
    collectNow();
    long at = inner.inject(segment, ip);
    log.add(new Entry.Injected(at, segment));
    return at;
  }

  @Override
  public long injectIcmp(byte[] packet) throws IOException {
    collectNow();
    return inner.injectIcmp(packet);
  }

  @Override
  public Optional<Sniffed> sniff(long deadlineMicros) throws IOException, InterruptedException {
    Entry.Sent next = unread.poll();
    if (next == null) {
      // One packet at most: waiting on for more would move a virtual clock past the next event.
      Optional<Sniffed> s = inner.sniff(deadlineMicros);
      if (s.isEmpty()) return s;
      next = new Entry.Sent(s.get());
      log.add(next);
    }
    next.expected = true;
    return Optional.of(next.packet);
  }

  @Override
  public Pending start(SocketCall call) {
    try {
      collectNow();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Pending p = inner.start(call);
    return new Pending() {
      private boolean logged;

      @Override
      public Optional<Returned> await(long deadlineMicros) throws InterruptedException {
        Optional<Returned> r = p.await(deadlineMicros);
        if (r.isPresent() && !logged) {
          logged = true;
          log.add(new Entry.Called(call, r.get()));
        }
        return r;
      }

      @Override
      public long enteredMicros() {
        return p.enteredMicros();
      }
    };
  }

  @Override
  public Optional<Returned> callAtOnce(SocketCall call, long limitMicros) throws InterruptedException {
    try {
      collectNow();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Optional<Returned> r = inner.callAtOnce(call, limitMicros);
    r.ifPresent(x -> log.add(new Entry.Called(call, x)));
    return r;
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
  public Optional<long[]> skMeminfo(int liveFd) {
    return inner.skMeminfo(liveFd);
  }

  @Override
  public List<String> notes() {
    return inner.notes();
  }

  @Override
  public OptionalLong microsOfRealtime(long realtimeMicros) {
    return inner.microsOfRealtime(realtimeMicros);
  }

  @Override
  public void close() {
    inner.close();
  }
}
