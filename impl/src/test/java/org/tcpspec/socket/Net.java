package org.tcpspec.socket;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.wire.Segment;

/**
 * The system the stateful property drives: a client on stack A, a listener on stack B, the link
 * between them as a list of segments in flight, and what each side wrote and read. Operations
 * are named after the TLA+ actions they resemble (SEND, CLOSE, Lose, Duplicate, Reorder, Tick),
 * so a shrunk failure reads like a TLC trace.
 */
final class Net {
  static final int PORT = 80;
  final TwoStacks n = new TwoStacks(0);
  final int listenFd;
  final int clientFd;
  int childFd = -1;
  final ByteArrayOutputStream writtenByA = new ByteArrayOutputStream();
  final ByteArrayOutputStream writtenByB = new ByteArrayOutputStream();
  final ByteArrayOutputStream readByA = new ByteArrayOutputStream();
  final ByteArrayOutputStream readByB = new ByteArrayOutputStream();
  boolean aShut;
  boolean bShut;
  boolean aEof;
  boolean bEof;
  boolean aClosed;
  boolean bClosed;
  boolean listenerClosed;
  /** An error (reset, timeout) reported to either application: the streams may end early. */
  boolean errorSeen;
  private int counter;

  Net() {
    this(false);
  }

  /** With {@code segmentRunsFromA}, A's sink takes runs of segments ({@link TwoStacks#segmentRunsFromA}). */
  Net(boolean segmentRunsFromA) {
    if (segmentRunsFromA) n.segmentRunsFromA();
    listenFd = n.apiB.socket();
    n.apiB.bind(listenFd, 0, PORT);
    n.apiB.listen(listenFd, 4);
    clientFd = n.apiA.socket();
    n.apiA.setNonBlocking(clientFd, true);
    n.apiA.connect(clientFd, TwoStacks.B, PORT);
    n.collect();
  }

  private byte[] fresh(int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) b[i] = (byte) (counter++ * 7 + 3);
    return b;
  }

  void sendA(int len) {
    if (aShut) return;
    byte[] data = fresh(len);
    SysResult<Void> r = n.apiA.write(clientFd, data);
    if (r.succeeded()) writtenByA.write(data, 0, (int) r.value());
    n.collect();
  }

  void sendB(int len) {
    if (childFd < 0 || bShut) return;
    byte[] data = fresh(len);
    n.apiB.setNonBlocking(childFd, true);
    SysResult<Void> r = n.apiB.write(childFd, data);
    if (r.succeeded()) writtenByB.write(data, 0, (int) r.value());
    n.collect();
  }

  void closeA() {
    if (aShut) return;
    aShut = true;
    n.apiA.shutdown(clientFd, Symbol.SHUT_WR.value());
    n.collect();
  }

  void closeB() {
    if (childFd < 0 || bShut) return;
    bShut = true;
    n.apiB.shutdown(childFd, Symbol.SHUT_WR.value());
    n.collect();
  }

  /** Delivers the oldest segment in flight. */
  void deliver() {
    if (n.inFlight.isEmpty()) return;
    input(n.inFlight.removeFirst());
  }

  /** Drops the oldest segment in flight (TLA+ Lose). */
  void lose() {
    if (!n.inFlight.isEmpty()) n.inFlight.removeFirst();
  }

  /** Delivers a copy of the oldest segment and keeps it in flight (TLA+ Duplicate). */
  void duplicate() {
    if (!n.inFlight.isEmpty()) input(n.inFlight.getFirst());
  }

  /** Moves the oldest segment to the back (TLA+ Reorder). */
  void reorder() {
    if (n.inFlight.size() > 1) n.inFlight.add(n.inFlight.removeFirst());
  }

  void tick(long maxMillis) {
    n.tick(maxMillis);
    afterStep();
  }

  private void input(Segment s) {
    (s.dstAddr() == TwoStacks.A ? n.a : n.b).input(s);
    n.collect();
    afterStep();
  }

  /** What applications do between steps: accept the connection, read what arrived. */
  void afterStep() {
    if (childFd < 0) {
      SysResult<Void> r = n.apiB.accept(listenFd);
      if (r.succeeded()) childFd = (int) r.value();
    }
    if (!aClosed) aEof |= drain(clientFd, n.apiA, readByA);
    if (childFd >= 0 && !bClosed) bEof |= drain(childFd, n.apiB, readByB);
    n.collect();
  }

  private boolean drain(int fd, SocketApi api, ByteArrayOutputStream into) {
    for (int i = 0; i < 1000; i++) {
      SysResult<byte[]> r = api.read(fd, 65536);
      if (r.failed() && r.errno() != Errno.EAGAIN) errorSeen = true;
      if (r.failed()) return r.errno() != Errno.EAGAIN;
      if (r.value() == 0) return true;
      into.writeBytes(r.out().orElseThrow());
    }
    return false;
  }

  /**
   * Ends the run on a perfect link: both sides shut down writing, read to end of stream, close;
   * time runs until both stacks are empty (every connection through CLOSED, via TIME-WAIT).
   */
  void finish() {
    closeA();
    for (int i = 0; i < 5000; i++) {
      // Closing a listener resets children not yet accepted (Linux): wait for the accept.
      if (!listenerClosed && (childFd >= 0 || n.a.connections().isEmpty())) {
        listenerClosed = true;
        n.apiB.close(listenFd);
      }
      n.settle();
      afterStep();
      if (childFd >= 0) closeB();
      if (aEof && !aClosed) {
        aClosed = true;
        n.apiA.close(clientFd);
      }
      if (bEof && childFd >= 0 && !bClosed) {
        bClosed = true;
        n.apiB.close(childFd);
      }
      n.collect();
      if (n.inFlight.isEmpty() && n.a.connections().isEmpty() && n.b.connections().isEmpty()) return;
      if (n.inFlight.isEmpty()) tick(200_000);
    }
  }

  List<String> openConnections() {
    List<String> open = new ArrayList<>();
    n.a.connections().forEach(c -> open.add("A " + c));
    n.b.connections().forEach(c -> open.add("B " + c));
    return open;
  }
}
