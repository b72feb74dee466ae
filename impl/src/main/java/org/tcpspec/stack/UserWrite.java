package org.tcpspec.stack;

import org.tcpspec.fsm.Effect;
import org.tcpspec.fsm.EffectHandler;
import org.tcpspec.fsm.Event;
import org.tcpspec.trace.TcbValues;
import org.tcpspec.wire.SegmentView;

/**
 * SEND's input (§3.10.2): the user's bytes, handed to the engine with the call so that the row's
 * QUEUE_DATA puts them into the send buffer, and how many it took. One per connection, reused for
 * every write so that the data path allocates nothing; other effects go to the connection.
 */
final class UserWrite implements EffectHandler {
  private final Connection connection;
  private byte[] data;
  private int off;
  private int len;
  private int accepted;

  UserWrite(Connection connection) {
    this.connection = connection;
  }

  /** Fires SEND for {@code len} bytes of {@code data} from {@code off}; how many the buffer took. */
  int send(byte[] data, int off, int len) {
    return fire(Event.SEND, data, off, len);
  }

  /** Fires {@code call}, a user call whose row may QUEUE_DATA (SEND, ACTIVE_OPEN_FAST_OPEN), with these bytes. */
  int fire(Event call, byte[] data, int off, int len) {
    this.data = data;
    this.off = off;
    this.len = len;
    accepted = 0;
    connection.engine.fire(call, this);
    this.data = null;
    return accepted;
  }

  @Override
  public void run(Effect effect, Event event, SegmentView segment) {
    if (effect == Effect.QUEUE_DATA) {
      accepted = connection.tcb.sendBuffer.write(data, off, len);
    } else {
      connection.run(effect, event, segment);
    }
  }

  @Override
  public TcbValues tcbValues() {
    return connection.tcbValues();
  }
}
