package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.ParseResult.Malformed;
import org.tcpspec.wire.ParseResult.Parsed;

/**
 * 100,000 random and mutated packets: the parser never throws, and whatever it accepts emits and
 * parses back to the same thing. Seeded, so a failure reproduces; the input is in the message.
 */
class ParserFuzzTest {

  private static final int ROUNDS = 100_000;
  private static final long SEED = 0x7C95_2026_1121L;

  @Test
  void randomAndMutatedPacketsNeverThrow() {
    Random rnd = new Random(SEED);
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      int strategy = round % 9;
      byte[] packet = input(rnd, strategy);
      int offset = 0;
      int length = packet.length;
      if (strategy == 8) { // arbitrary, often impossible, offset and length
        offset = rnd.nextInt(packet.length + 10) - 5;
        length = rnd.nextInt(packet.length + 10) - 5;
      }
      ParseResult result;
      try {
        result = SegmentParser.parse(packet, offset, length);
        String outcome = switch (result) {
          case Parsed p -> {
            byte[] again = SegmentEmitter.emit(p.segment(), p.ip());
            assertEquals(p, SegmentParser.parse(again, 0, again.length), "parse . emit . parse = parse");
            yield "parsed";
          }
          case Malformed m -> m.field();
        };
        outcomes.merge(outcome, 1, Integer::sum);
      } catch (Throwable t) {
        fail("round " + round + " strategy " + strategy + " offset " + offset + " length " + length
            + " input " + Hex.of(packet), t);
      }
    }
    System.out.println("ParserFuzzTest outcomes over " + ROUNDS + " inputs (seed " + SEED + "): " + outcomes);
    assertEquals(ROUNDS, outcomes.values().stream().mapToInt(Integer::intValue).sum());
    assertTrue(outcomes.getOrDefault("parsed", 0) > 1000, "valid inputs parse: " + outcomes);
    for (String field : Set.of("buffer", "ipv4", "ipv4.version", "ipv4.ihl", "ipv4.headerChecksum",
        "ipv4.totalLength", "ipv4.moreFragments", "ipv4.fragmentOffset", "ipv4.protocol", "tcp",
        "tcp.dataOffset", "tcp.checksum")) {
      assertTrue(outcomes.containsKey(field), "some input is malformed in " + field + ": " + outcomes);
    }
  }

  static byte[] input(Random rnd, int strategy) {
    return switch (strategy) {
      case 0 -> randomBytes(rnd, rnd.nextInt(120));
      case 1 -> { // random bytes behind a plausible IPv4/TCP prefix
        byte[] p = randomBytes(rnd, 20 + rnd.nextInt(100));
        new Ipv4Header().wrap(p, 0, p.length).version(4).ihl(5).totalLength(p.length)
            .flags(Ipv4Header.FLAG_DF).fragmentOffset(0).protocol(6);
        yield refresh(p);
      }
      case 2 -> flip(rnd, valid(rnd));
      case 3 -> refresh(flip(rnd, valid(rnd)));
      case 4 -> {
        byte[] p = valid(rnd);
        yield Arrays.copyOf(p, rnd.nextInt(p.length));
      }
      case 5 -> {
        byte[] p = valid(rnd);
        byte[] longer = Arrays.copyOf(p, p.length + 1 + rnd.nextInt(40));
        System.arraycopy(randomBytes(rnd, longer.length - p.length), 0, longer, p.length, longer.length - p.length);
        yield longer;
      }
      case 6 -> { // scribble over the TCP options, then make the checksums right again
        byte[] p = valid(rnd);
        int optionsLength = ((p[32] & 0xFF) >>> 4) * 4 - 20;
        for (int i = 0; i < optionsLength; i++) if (rnd.nextInt(3) == 0) p[40 + i] = (byte) rnd.nextInt(256);
        yield refresh(p);
      }
      default -> valid(rnd);
    };
  }

  /** A correct packet from a random segment. */
  private static byte[] valid(Random rnd) {
    List<TcpOption> menu = List.of(new TcpOption.Nop(), new TcpOption.Mss(rnd.nextInt(0x10000)),
        new TcpOption.WindowScale(rnd.nextInt(15)), new TcpOption.SackPermitted(),
        new TcpOption.Timestamp(rnd.nextInt(), rnd.nextInt()),
        new TcpOption.Sack(List.of(new TcpOption.SackBlock(rnd.nextInt(), rnd.nextInt()))),
        new TcpOption.Unknown(30 + rnd.nextInt(200), randomBytes(rnd, rnd.nextInt(6))));
    List<TcpOption> options = new ArrayList<>();
    for (int n = rnd.nextInt(8); n > 0; n--) options.add(menu.get(rnd.nextInt(menu.size())));
    Segment s = new Segment(rnd.nextInt(), rnd.nextInt(), rnd.nextInt(0x10000), rnd.nextInt(0x10000),
        rnd.nextInt(), rnd.nextInt(), rnd.nextInt(0x100), rnd.nextInt(0x10000), rnd.nextInt(0x10000),
        SegmentArbitraries.fitting(options), randomBytes(rnd, rnd.nextInt(64)));
    return SegmentEmitter.emit(s, new Ipv4Params(rnd.nextInt(256), rnd.nextInt(0x10000), rnd.nextBoolean(), rnd.nextInt(256)));
  }

  private static byte[] flip(Random rnd, byte[] p) {
    for (int n = 1 + rnd.nextInt(4); n > 0; n--) p[rnd.nextInt(p.length)] ^= (byte) (1 + rnd.nextInt(255));
    return p;
  }

  /** Makes both checksums right again where the lengths allow computing them. */
  private static byte[] refresh(byte[] p) {
    if (p.length < 20) return p;
    Ipv4Header ip = new Ipv4Header().wrap(p, 0, p.length);
    if (!ip.headerLengthValid()) return p;
    ip.fillHeaderChecksum();
    int tcpLength = ip.totalLength() - ip.headerLength();
    if (ip.totalLength() <= p.length && tcpLength >= 20) {
      new TcpHeader().wrap(ip, ip.headerLength(), tcpLength).fillChecksum(ip.srcAddr(), ip.dstAddr());
    }
    return p;
  }

  private static byte[] randomBytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }
}
