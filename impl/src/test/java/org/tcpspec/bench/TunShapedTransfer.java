package org.tcpspec.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.tcpspec.device.InMemoryNativeLink;
import org.tcpspec.runtime.EventLoop;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.Connection;
import org.tcpspec.stack.Listener;
import org.tcpspec.stack.Stack;
import org.tcpspec.stack.StackConfig;
import org.tcpspec.time.ManualClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.IpAddress;

/**
 * Bulk transfer from stack A to stack B, each driven by its own {@link EventLoop} over one end of an
 * {@link InMemoryNativeLink}: the TUN path of the runtime (native buffers, segments emitted as made,
 * super-packets coalesced when the link segments, received super-packets taken whole) without a
 * kernel, a namespace or a clock of its own. The loops are not started: this thread runs their duty
 * cycles ({@link EventLoop#doWork()}), writes at A and reads at B directly on the stacks (nothing
 * else touches them), and moves the manual clock 40 ms when both loops are idle so delayed ACKs
 * fire. Every byte B reads is checked. Used by {@code ZeroAllocationTest}.
 */
final class TunShapedTransfer {
  private static final int A = 0x0A000001;
  private static final int B = 0x0A000002;
  private static final IpAddress B6 = IpAddress.parse("2001:db8::b");

  private final ManualClock clock = new ManualClock(1_000_000_000L);
  final InMemoryNativeLink link;
  final Stack a;
  final Stack b;
  final EventLoop loopA;
  final EventLoop loopB;
  private final Connection[] senders;
  final Connection[] receivers;
  private final byte[] chunk;
  private final byte[] readBuffer = new byte[1 << 20];
  private final long[] readOffsets;
  private final long[] writeOffsets;
  private final boolean partialWrites;
  private long round;

  TunShapedTransfer(int chunkBytes, int connections, boolean ipv6, boolean segmentationOffload) {
    this(chunkBytes, connections, ipv6, segmentationOffload, 256, StackConfig.linuxDefaults());
  }

  /**
   * With {@code slots} packets per direction of the link (a packet that finds them full is
   * dropped, as by a TUN device's queue when its reader falls behind: with a few slots, loss every
   * round; a write may then take part of a chunk, and the next round goes on from there) and both
   * stacks configured as {@code config}.
   */
  TunShapedTransfer(int chunkBytes, int connections, boolean ipv6, boolean segmentationOffload, int slots,
      StackConfig defaults) {
    link = new InMemoryNativeLink(1500, slots, segmentationOffload);
    partialWrites = slots < 256;
    StackConfig config = defaults.withMtu(1500);
    a = new Stack(A, clock, TraceSink.NONE, 1, config);
    b = new Stack(B, clock, TraceSink.NONE, 2, config);
    a.ipv6Address(IpAddress.parse("2001:db8::a"));
    b.ipv6Address(B6);
    a.strict(true);
    b.strict(true);
    loopA = new EventLoop(link.a(), a, new SocketApi(a), clock, line -> {
      throw new IllegalStateException("loop A: " + line);
    });
    loopB = new EventLoop(link.b(), b, new SocketApi(b), clock, line -> {
      throw new IllegalStateException("loop B: " + line);
    });
    Listener l = b.listen(80, connections, b.defaultOptions()).orElseThrow();
    senders = new Connection[connections];
    receivers = new Connection[connections];
    readOffsets = new long[connections];
    writeOffsets = new long[connections];
    for (int k = 0; k < connections; k++) {
      senders[k] = a.connect(0, ipv6 ? B6 : IpAddress.ipv4(B), 80, a.defaultOptions()).orElseThrow();
      pump();
      receivers[k] = l.accept().orElseThrow();
    }
    chunk = new byte[chunkBytes];
    for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) (i * 7 + 3);
  }

  /** Runs {@code rounds} rounds (a chunk into each connection, deliver, read all); returns bytes read. */
  long run(long rounds) {
    return run(rounds, -1, 1);
  }

  /**
   * Runs {@code rounds} rounds in which the application of connection {@code laggard} reads only
   * every {@code lag}th round (the others every round), so its receive buffer holds up to {@code
   * lag} chunks; returns bytes read.
   */
  long run(long rounds, int laggard, int lag) {
    long read = 0;
    for (long i = 0; i < rounds; i++) {
      for (int k = 0; k < senders.length; k++) {
        int at = (int) (writeOffsets[k] % chunk.length);
        int n = a.write(senders[k], chunk, at, chunk.length - at);
        if (n != chunk.length - at && !partialWrites) {
          throw new IllegalStateException("send buffer took " + n + " of the chunk");
        }
        writeOffsets[k] += Math.max(0, n);
      }
      pump();
      round++;
      for (int k = 0; k < senders.length; k++) {
        if (k != laggard || round % lag == 0) read += drainReceiver(k);
      }
      pump();
    }
    return read;
  }

  /** Device packets both loops moved so far, both ways. */
  long packets() {
    return loopA.packetsReceived() + loopA.packetsTransmitted() + loopB.packetsReceived()
        + loopB.packetsTransmitted();
  }

  private long drainReceiver(int k) {
    long total = 0;
    int n;
    while ((n = b.read(receivers[k], readBuffer, 0, readBuffer.length)) > 0) {
      for (int done = 0; done < n; ) {
        int at = (int) (readOffsets[k] % chunk.length);
        int len = Math.min(n - done, chunk.length - at);
        if (!Arrays.equals(readBuffer, done, done + len, chunk, at, at + len)) {
          throw new IllegalStateException("stream bytes from " + readOffsets[k] + " are corrupt");
        }
        done += len;
        readOffsets[k] += len;
      }
      total += n;
    }
    return total;
  }

  /** Runs both loops until neither has work and no timer is due within 40 ms. */
  private void pump() {
    try {
      while (true) {
        if (loopA.doWork() + loopB.doWork() > 0) continue;
        if (Math.min(a.nextDeadlineNanos(), b.nextDeadlineNanos()) > clock.nowNanos() + 40_000_000L) return;
        clock.advanceMillis(40);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
