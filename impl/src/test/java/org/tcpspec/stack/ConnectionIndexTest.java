package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Engine;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.time.ManualClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.IpAddress;

/**
 * The allocation-free demultiplexing index agrees with a HashMap under random adds and removes,
 * with tuples of both families whose addresses share their low bits (::ffff:0.0.0.2 is IPv4's
 * 0.0.0.2, 2001:db8::ffff:0:2 is not), so a family mix-up would find the wrong connection.
 */
class ConnectionIndexTest {

  @Test
  void agreesWithAHashMapUnderRandomAddsAndRemoves() {
    ManualClock clock = new ManualClock();
    Stack stack = new Stack(1, clock, TraceSink.NONE, 1);
    IsnGenerator isn = new IsnGenerator(1, clock);
    ConnectionIndex index = new ConnectionIndex();
    Map<FourTuple, Connection> model = new HashMap<>();
    Random rnd = new Random(4);
    for (int step = 0; step < 4_000; step++) {
      // A small tuple space, so probe runs collide, wrap around the table and shift on removal.
      FourTuple t = tuple(rnd);
      Connection present = model.get(t);
      if (present != null && rnd.nextBoolean()) {
        model.remove(t);
        index.remove(present);
      } else if (present == null) {
        Connection c = new Connection(t, new SocketOptions(), clock, isn, stack, null,
            new Engine(TransitionTable.instance(), TraceSink.NONE, clock, "c" + step));
        model.put(t, c);
        index.put(c);
      }
      FourTuple probe = tuple(rnd);
      assertSame(model.get(probe), find(index, probe), "step " + step + ": " + probe);
      for (Map.Entry<FourTuple, Connection> e : model.entrySet()) {
        assertSame(e.getValue(), find(index, e.getKey()), "step " + step + ": " + e.getKey());
      }
    }
  }

  private static final IpAddress LOCAL4 = IpAddress.ipv4(1);
  private static final IpAddress LOCAL6 = IpAddress.parse("2001:db8::1");

  /** A tuple of a small space: two families, three local ports, four remote hosts, 20 remote ports. */
  private static FourTuple tuple(Random rnd) {
    int host = 2 + rnd.nextInt(4);
    int localPort = 80 + rnd.nextInt(3);
    int remotePort = 40000 + rnd.nextInt(20);
    if (rnd.nextBoolean()) return new FourTuple(LOCAL4, localPort, IpAddress.ipv4(host), remotePort);
    IpAddress remote = new IpAddress(LOCAL6.high(), IpAddress.lowOfIpv4(host));
    return new FourTuple(LOCAL6, localPort, remote, remotePort);
  }

  private static Connection find(ConnectionIndex index, FourTuple t) {
    return index.get(t.localAddr().high(), t.localAddr().low(), t.localPort(), t.remoteAddr().high(),
        t.remoteAddr().low(), t.remotePort());
  }
}
