package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * Packets left for the lock's next holder come out in the order they went in, as copies (the
 * device's buffer is read into again at once), with what the device said of each; a full backlog
 * takes no more.
 */
class ReceiveBacklogTest {
  @Test
  void packetsComeOutInOrderAsCopiesWithTheirMetadata() {
    ReceiveBacklog backlog = new ReceiveBacklog(2048);
    MemorySegment device = Arena.ofAuto().allocate(2048);
    assertTrue(backlog.isEmpty());
    for (int i = 0; i < ReceiveBacklog.SLOTS; i++) {
      device.fill((byte) (i + 1));
      assertTrue(backlog.offer(device, 100 + i, i % 2 == 0, 1448 * i), "slot " + i);
    }
    device.fill((byte) 99);
    assertFalse(backlog.offer(device, 100, false, 0), "a full backlog took a packet");
    for (int i = 0; i < ReceiveBacklog.SLOTS; i++) {
      assertFalse(backlog.isEmpty());
      int slot = backlog.peek();
      assertEquals(100 + i, backlog.length(slot));
      assertEquals(i % 2 == 0, backlog.checksumPartial(slot));
      assertEquals(1448 * i, backlog.gsoSize(slot));
      byte[] want = new byte[100 + i];
      java.util.Arrays.fill(want, (byte) (i + 1));
      assertArrayEquals(want, backlog.buffer(slot).asSlice(0, 100 + i).toArray(ValueLayout.JAVA_BYTE),
          "the packet as it was when offered, not the device buffer's later content");
      backlog.pop();
    }
    assertTrue(backlog.isEmpty());
    assertTrue(backlog.offer(device, 10, false, 0), "a slot is free again");
    assertEquals(ReceiveBacklog.SLOTS + 1, backlog.deferred());
  }
}
