package org.tcpspec.app.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
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
 * One bulk transfer over one kernel TCP connection: the receiver listens in its namespace, the
 * sender connects from its own and writes {@code bytes} pattern bytes in 256 KiB writes, then
 * FIN. The clock runs from the first write to the receiver's end of stream, so connection setup
 * is not counted. A transfer that hits the time cap stops writing; the rate is then over what
 * arrived, and the result says it was capped.
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

  public static Result run(Netns senderNs, Netns receiverNs, InetAddress receiverAddress, long bytes,
      Duration cap) throws IOException, InterruptedException {
    try (StreamListener listener = callIo(receiverNs, () -> KernelStreams.listen(receiverAddress, 0, 1));
        StreamConnection sender = callIo(senderNs, () -> KernelStreams.connect(receiverAddress, listener.port()));
        StreamConnection receiver = listener.accept();
        ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
      long start = System.nanoTime();
      Future<Long> received = vt.submit(() -> drain(receiver.in()));
      Future<Boolean> capped = vt.submit(() -> send(sender, bytes, start + cap.toNanos()));
      long got = received.get();
      long nanos = System.nanoTime() - start;
      boolean wasCapped = capped.get();
      if (!wasCapped && got != bytes) {
        throw new IOException("sent " + bytes + " bytes but " + got + " arrived");
      }
      return new Result(got, nanos, wasCapped);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException("bulk transfer failed", e.getCause());
    }
  }

  private static boolean send(StreamConnection c, long bytes, long deadlineNanos) throws IOException {
    byte[] chunk = BytePattern.of(WRITE); // WRITE is a multiple of 256: every chunk in phase
    OutputStream out = c.out();
    long left = bytes;
    boolean capped = false;
    while (left > 0) {
      if (System.nanoTime() > deadlineNanos) {
        capped = true;
        break;
      }
      int n = (int) Math.min(WRITE, left);
      out.write(chunk, 0, n);
      left -= n;
    }
    c.shutdownOutput();
    return capped;
  }

  private static long drain(InputStream in) throws IOException {
    byte[] buf = new byte[WRITE];
    long total = 0;
    for (int n; (n = in.read(buf)) != -1; ) total += n;
    return total;
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T call() throws IOException;
  }

  private static <T> T callIo(Netns ns, IoCall<T> call) throws IOException {
    try {
      return ns.call(call::call);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
