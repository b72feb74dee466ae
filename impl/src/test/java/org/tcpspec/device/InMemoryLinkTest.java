package org.tcpspec.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryLinkTest {

  @Test
  void whatOneEndTransmitsTheOtherReceivesInOrderAsACopy() throws Exception {
    InMemoryLink link = new InMemoryLink();
    byte[] first = {1, 2, 3};
    link.a().transmit(first);
    link.a().transmit(new byte[] {4});
    first[0] = 99;
    assertArrayEquals(new byte[] {1, 2, 3}, link.b().receive(0).orElseThrow());
    assertArrayEquals(new byte[] {4}, link.b().receive(0).orElseThrow());
    assertEquals(Optional.empty(), link.b().receive(0));
    assertEquals(Optional.empty(), link.a().receive(0), "nothing loops back");
    link.b().transmit(new byte[] {5});
    assertArrayEquals(new byte[] {5}, link.a().receive(0).orElseThrow());
  }

  @Test
  void fullQueueDropsAndCounts() throws Exception {
    InMemoryLink link = new InMemoryLink(1500, 2);
    for (int i = 0; i < 5; i++) link.a().transmit(new byte[] {(byte) i});
    assertEquals(2, link.b().queued());
    assertEquals(3, link.b().dropped());
    assertArrayEquals(new byte[] {0}, link.b().receive(0).orElseThrow());
  }

  @Test
  void packetAboveTheMtuIsRefused() {
    InMemoryLink link = new InMemoryLink(100, 8);
    IOException e = assertThrows(IOException.class, () -> link.a().transmit(new byte[101]));
    assertTrue(e.getMessage().contains("MTU 100"), e.getMessage());
  }

  @Test
  void closeWakesAWaitingReceiver() throws Exception {
    InMemoryLink link = new InMemoryLink();
    CompletableFuture<Throwable> waiting = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                link.b().receive(-1);
                waiting.complete(new AssertionError("returned"));
              } catch (Throwable t) {
                waiting.complete(t);
              }
            });
    Thread.sleep(20);
    link.b().close();
    assertInstanceOf(ClosedChannelException.class, waiting.get(2, TimeUnit.SECONDS));
    assertThrows(ClosedChannelException.class, () -> link.b().transmit(new byte[1]));
    link.a().transmit(new byte[1]); // into a closed end: lost like on a dead wire
    assertEquals(0, link.b().queued());
  }
}
