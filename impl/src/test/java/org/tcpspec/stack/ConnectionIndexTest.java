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

/** The allocation-free demultiplexing index agrees with a HashMap under random adds and removes. */
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
      FourTuple t = new FourTuple(1, 80 + rnd.nextInt(3), 2 + rnd.nextInt(4), 40000 + rnd.nextInt(20));
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
      FourTuple probe = new FourTuple(1, 80 + rnd.nextInt(3), 2 + rnd.nextInt(4), 40000 + rnd.nextInt(20));
      assertSame(model.get(probe), index.get(probe.localAddr(), probe.localPort(), probe.remoteAddr(),
          probe.remotePort()), "step " + step + ": " + probe);
      for (Map.Entry<FourTuple, Connection> e : model.entrySet()) {
        FourTuple k = e.getKey();
        assertSame(e.getValue(), index.get(k.localAddr(), k.localPort(), k.remoteAddr(), k.remotePort()),
            "step " + step + ": " + k);
      }
    }
  }
}
