package org.tcpspec.app.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tcpspec.app.BytePattern;
import org.tcpspec.app.KernelStreams;
import org.tcpspec.app.StreamConnection;
import org.tcpspec.app.StreamListener;
import org.tcpspec.device.linux.Netns;

/**
 * One bulk transfer over one kernel TCP connection (or several side by side, {@link #runParallel}): the receiver listens in its namespace, the
 * sender connects from its own and writes {@code bytes} pattern bytes in 256 KiB writes, and
 * more until the transfer has lasted its least duration if one is given, then FIN. The clock runs
 * from the first write to the receiver's end of stream, so connection setup is not counted. A
 * transfer that hits the time cap stops writing; the rate is then over what arrived, and the
 * result says it was capped.
 */
public final class BulkTransfer {
  private static final int WRITE = 256 * 1024;

  private BulkTransfer() {}

  /**
   * @param bytes bytes received, exactly what was sent
   * @param nanos from the first write to end of stream at the receiver
   * @param capped whether the sender stopped early because of the time cap
   */
  public record Result(long bytes, long nanos, boolean capped) {
    /** Megabytes (10^6 bytes) per second. */
    public double megabytesPerSecond() {
      return bytes / 1e6 / (nanos / 1e9);
    }
  }

  /** Opens the sending side once the receiver listens on {@code port}. */
  @FunctionalInterface
  public interface Connector {
    StreamConnection connect(int port) throws IOException;
  }

  /** Kernel to kernel: both ends on JDK sockets, each in its namespace, at least {@code bytes} and {@code least}. */
  public static Result run(Netns senderNs, Netns receiverNs, InetAddress receiverAddress, long bytes, Duration least,
      Duration cap) throws IOException, InterruptedException {
    return run(callIo(receiverNs, () -> KernelStreams.listen(receiverAddress, 0, 1)),
        port -> callIo(senderNs, () -> KernelStreams.connect(receiverAddress, port)), bytes, least, cap,
        TransferProgress.NONE);
  }

  /**
   * Any pair of stream ends: the receiver accepts one connection on {@code listener} (closed
   * afterwards), the sender is opened by {@code connector}.
   */
  public static Result run(StreamListener receiverListener, Connector connector, long bytes,
      Duration cap) throws IOException, InterruptedException {
    return run(receiverListener, connector, bytes, Duration.ZERO, cap, TransferProgress.NONE);
  }

  private static Result run(StreamListener receiverListener, Connector connector, long bytes, Duration least,
      Duration cap, TransferProgress progress) throws IOException, InterruptedException {
    try (StreamListener listener = receiverListener;
        StreamConnection sender = connector.connect(listener.port());
        StreamConnection receiver = listener.accept();
        ExecutorService vt = transferThreads()) {
      progress.started();
      long start = System.nanoTime();
      Future<Long> received = vt.submit(() -> drain(receiver.in(), progress));
      Future<Sent> sent = vt.submit(() -> send(sender, bytes, start + least.toNanos(), start + cap.toNanos()));
      long got = received.get();
      long nanos = System.nanoTime() - start;
      Sent s = sent.get();
      if (!s.capped() && got != s.bytes()) {
        throw new IOException("sent " + s.bytes() + " bytes but " + got + " arrived");
      }
      return new Result(got, nanos, s.capped());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException("bulk transfer failed", e.getCause());
    }
  }

  /**
   * {@code connections} transfers side by side: all connections are opened first, then each moves
   * its share of {@code bytes} (the last one the remainder), and each goes on until {@code least}
   * has passed; the clock runs from the first write to the last end of stream. The result is the
   * sum over all of them; {@code progress} is told of every read.
   */
  public static Result runParallel(StreamListener receiverListener, Connector connector, int connections,
      long bytes, Duration least, Duration cap, TransferProgress progress) throws IOException, InterruptedException {
    if (connections == 1) return run(receiverListener, connector, bytes, least, cap, progress);
    List<StreamConnection> opened = new ArrayList<>();
    try (StreamListener listener = receiverListener;
        ExecutorService vt = transferThreads()) {
      List<StreamConnection[]> pairs = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        StreamConnection sender = connector.connect(listener.port());
        opened.add(sender);
        StreamConnection receiver = listener.accept();
        opened.add(receiver);
        pairs.add(new StreamConnection[] {sender, receiver});
      }
      progress.started();
      long start = System.nanoTime();
      List<Future<Long>> received = new ArrayList<>();
      List<Future<Sent>> sent = new ArrayList<>();
      long share = bytes / connections;
      for (int i = 0; i < connections; i++) {
        StreamConnection[] pair = pairs.get(i);
        long mine = i == connections - 1 ? bytes - share * (connections - 1) : share;
        received.add(vt.submit(() -> drain(pair[1].in(), progress)));
        sent.add(vt.submit(() -> send(pair[0], mine, start + least.toNanos(), start + cap.toNanos())));
      }
      long got = 0;
      for (Future<Long> f : received) got += f.get();
      long nanos = System.nanoTime() - start;
      boolean wasCapped = false;
      long sentBytes = 0;
      for (Future<Sent> f : sent) {
        wasCapped |= f.get().capped();
        sentBytes += f.get().bytes();
      }
      if (!wasCapped && got != sentBytes) throw new IOException("sent " + sentBytes + " bytes but " + got + " arrived");
      return new Result(got, nanos, wasCapped);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException("bulk transfer failed", e.getCause());
    } finally {
      for (StreamConnection c : opened) c.close();
    }
  }

  /**
   * Like {@link #run(StreamListener, Connector, long, Duration)}, with content the receiver checks:
   * the sender writes {@code bytes} bytes of a pseudo-random stream seeded with {@code seed} (no
   * period, so a misplaced or duplicated segment of any length shows) and both ends hash what
   * passed; unequal SHA-256 sums fail the transfer. A capped transfer is not compared.
   */
  public static Result runChecked(StreamListener receiverListener, Connector connector, long bytes,
      Duration cap, long seed) throws IOException, InterruptedException {
    try (StreamListener listener = receiverListener;
        StreamConnection sender = connector.connect(listener.port());
        StreamConnection receiver = listener.accept();
        ExecutorService vt = transferThreads()) {
      long start = System.nanoTime();
      MessageDigest receivedSum = sha256();
      Future<Long> received = vt.submit(() -> drain(receiver.in(), receivedSum));
      MessageDigest sentSum = sha256();
      Future<Boolean> capped = vt.submit(() -> sendRandom(sender, bytes, start + cap.toNanos(), seed, sentSum));
      long got = received.get();
      long nanos = System.nanoTime() - start;
      boolean wasCapped = capped.get();
      if (!wasCapped) {
        if (got != bytes) throw new IOException("sent " + bytes + " bytes but " + got + " arrived");
        if (!MessageDigest.isEqual(sentSum.digest(), receivedSum.digest())) {
          throw new IOException(bytes + " bytes arrived but not the bytes sent (SHA-256 differs)");
        }
      }
      return new Result(got, nanos, wasCapped);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException("bulk transfer failed", e.getCause());
    }
  }

  /**
   * One platform thread per sending and per receiving end. Not virtual threads: waking a virtual
   * thread from another platform thread (our stack's event loop signalling a reader) makes the JDK
   * allocate a task for its scheduler, which would count as allocation of our data path, and the
   * kernel's blocking sockets need no poller in between either.
   */
  private static ExecutorService transferThreads() {
    return Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("bulk-transfer-", 0).daemon().factory());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static boolean sendRandom(StreamConnection c, long bytes, long deadlineNanos, long seed, MessageDigest sum)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] chunk = new byte[WRITE];
    OutputStream out = c.out();
    long left = bytes;
    boolean capped = false;
    while (left > 0) {
      if (System.nanoTime() > deadlineNanos) {
        capped = true;
        break;
      }
      int n = (int) Math.min(WRITE, left);
      random.nextBytes(chunk);
      sum.update(chunk, 0, n);
      out.write(chunk, 0, n);
      left -= n;
    }
    c.shutdownOutput();
    return capped;
  }

  private static long drain(InputStream in, MessageDigest sum) throws IOException {
    byte[] buf = new byte[WRITE];
    long total = 0;
    for (int n; (n = in.read(buf)) != -1; ) {
      sum.update(buf, 0, n);
      total += n;
    }
    return total;
  }

  /** What one sender wrote, and whether the time cap stopped it. */
  private record Sent(long bytes, boolean capped) {}

  /**
   * Writes {@code bytes} and more in whole writes until {@code leastEndNanos}, unless {@code
   * capNanos} comes first; then FIN.
   */
  private static Sent send(StreamConnection c, long bytes, long leastEndNanos, long capNanos) throws IOException {
    byte[] chunk = BytePattern.of(WRITE); // WRITE is a multiple of 256: every chunk in phase
    OutputStream out = c.out();
    long written = 0;
    boolean capped = false;
    while (written < bytes || System.nanoTime() < leastEndNanos) {
      if (System.nanoTime() > capNanos) {
        capped = true;
        break;
      }
      int n = written < bytes ? (int) Math.min(WRITE, bytes - written) : WRITE;
      out.write(chunk, 0, n);
      written += n;
    }
    c.shutdownOutput();
    return new Sent(written, capped);
  }

  private static long drain(InputStream in, TransferProgress progress) throws IOException {
    byte[] buf = new byte[WRITE];
    long total = 0;
    for (int n; (n = in.read(buf)) != -1; ) {
      total += n;
      progress.received(n);
    }
    return total;
  }

  @FunctionalInterface
  public interface IoCall<T> {
    T call() throws IOException;
  }

  /** Runs {@code call} in {@code ns} (see {@code Netns.call}), keeping IOException as it is. */
  public static <T> T callIo(Netns ns, IoCall<T> call) throws IOException {
    try {
      return ns.call(call::call);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
