package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tcpspec.wire.PacketBuffer;
import org.tcpspec.wire.PacketBufferPool;

/**
 * Packets left for the lock's next holder come out in the order they went in, each in the packet
 * buffer it was read into (the loop reads on into another), with what the device said of each; a
 * full backlog has no room.
 */
class ReceiveBacklogTest {
  @Test
  void packetsComeOutInOrderInTheirBuffersWithTheirMetadata() {
    ReceiveBacklog backlog = new ReceiveBacklog();
    PacketBufferPool pool = new PacketBufferPool(2048, ReceiveBacklog.SLOTS + 1);
    PacketBuffer[] offered = new PacketBuffer[ReceiveBacklog.SLOTS];
    assertTrue(backlog.isEmpty());
    for (int i = 0; i < ReceiveBacklog.SLOTS; i++) {
      assertTrue(backlog.hasRoom(), "slot " + i);
      offered[i] = pool.take();
      backlog.offer(offered[i], 100 + i, i % 2 == 0, 1448 * i);
    }
    assertFalse(backlog.hasRoom());
    PacketBuffer extra = pool.take();
    assertThrows(IllegalStateException.class, () -> backlog.offer(extra, 100, false, 0), "a full backlog took a packet");
    for (int i = 0; i < ReceiveBacklog.SLOTS; i++) {
      assertFalse(backlog.isEmpty());
      int slot = backlog.peek();
      assertSame(offered[i], backlog.buffer(slot));
      assertEquals(100 + i, backlog.length(slot));
      assertEquals(i % 2 == 0, backlog.checksumPartial(slot));
      assertEquals(1448 * i, backlog.gsoSize(slot));
      backlog.pop();
    }
    assertTrue(backlog.isEmpty());
    assertTrue(backlog.hasRoom(), "a slot is free again");
    backlog.offer(extra, 10, false, 0);
    assertEquals(ReceiveBacklog.SLOTS + 1, backlog.deferred());
  }
}
