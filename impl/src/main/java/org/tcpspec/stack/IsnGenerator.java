package org.tcpspec.stack;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.tcpspec.time.Clock;

/**
 * Initial sequence numbers per RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), M a timer ticking every 4 microseconds, F a keyed hash (SHA-256 over key and
 * four-tuple here). The key is given, so tests get reproducible ISNs.
 */
public final class IsnGenerator {
  private final byte[] key;
  private final Clock clock;

  public IsnGenerator(long secret, Clock clock) {
    this.key = ByteBuffer.allocate(8).putLong(secret).array();
    this.clock = clock;
  }

  public int isn(FourTuple t) {
    int m = (int) (clock.nowNanos() / 4_000L);
    return m + hash(t);
  }

  private int hash(FourTuple t) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(key);
      if (t.localAddr().isIpv4()) {
        d.update(ByteBuffer.allocate(12).putInt(t.localAddr().ipv4()).putShort((short) t.localPort())
            .putInt(t.remoteAddr().ipv4()).putShort((short) t.remotePort()).array());
      } else {
        d.update(ByteBuffer.allocate(36).putLong(t.localAddr().high()).putLong(t.localAddr().low())
            .putShort((short) t.localPort()).putLong(t.remoteAddr().high()).putLong(t.remoteAddr().low())
            .putShort((short) t.remotePort()).array());
      }
      return ByteBuffer.wrap(d.digest()).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
