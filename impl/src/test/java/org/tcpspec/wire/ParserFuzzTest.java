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
 * 100,000 random and mutated packets, IPv4 and IPv6 (truncated, bad payload lengths, random
 * extension header chains, bad checksums): the parser never throws, every drop names its field,
 * and whatever it accepts emits and parses back to the same thing. Seeded, so a failure
 * reproduces; the input is in the message.
 */
class ParserFuzzTest {

  private static final int ROUNDS = 100_000;
  private static final long SEED = 0x7C95_2026_1121L;
  private static final int STRATEGIES = 15;

  @Test
  void randomAndMutatedPacketsNeverThrow() {
    Random rnd = new Random(SEED);
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      int strategy = round % STRATEGIES;
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
            if (p.segment().isIpv6()) parsedIpv6++;
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
    for (String field : Set.of("ipv6", "ipv6.payloadLength", "ipv6.nextHeader", "ipv6.extensionHeader",
        "ipv6.options", "ipv6.routing", "ipv6.fragment", "ipv6.srcAddr")) {
      assertTrue(outcomes.containsKey(field), "some input is malformed in " + field + ": " + outcomes);
    }
    assertTrue(parsedIpv6 > 1000, "valid IPv6 inputs parse: " + parsedIpv6);
  }

  private int parsedIpv6;

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
      case 9 -> valid6(rnd);
      case 10 -> flip(rnd, valid6(rnd)); // bad checksums, addresses, lengths, next headers
      case 11 -> { // truncated, or a payload length that disagrees with the bytes
        byte[] p = valid6(rnd);
        if (rnd.nextBoolean()) yield Arrays.copyOf(p, rnd.nextInt(p.length));
        new Ipv6Header().wrap(p, 0, p.length).payloadLength(rnd.nextInt(p.length + 20));
        yield p;
      }
      case 12, 13 -> withRandomExtensions(rnd, valid6(rnd));
      case 14 -> { // random bytes behind a plausible IPv6 header
        byte[] p = randomBytes(rnd, 40 + rnd.nextInt(100));
        new Ipv6Header().wrap(p, 0, p.length).versionClassFlow(0, 0).payloadLength(p.length - 40)
            .nextHeader(rnd.nextBoolean() ? 6 : rnd.nextInt(256));
        yield p;
      }
      default -> valid(rnd);
    };
  }

  /** A correct IPv6 packet from a random segment between random addresses. */
  private static byte[] valid6(Random rnd) {
    Segment s = validSegment(rnd);
    IpAddress src = new IpAddress(0x2001_0db8_0000_0000L | rnd.nextInt(0x10000), rnd.nextLong());
    IpAddress dst = new IpAddress(0x2001_0db8_0000_0000L, rnd.nextLong());
    return SegmentEmitter.emit(s.withAddresses(src, dst), new Ipv4Params(rnd.nextInt(256), 0, false, rnd.nextInt(256)));
  }

  /**
   * Extension headers of random kinds (the ones a host may skip, and others) with random lengths
   * and option bytes, chained before the TCP segment; the TCP checksum stays right, since the
   * pseudo-header counts the upper-layer length only.
   */
  private static byte[] withRandomExtensions(Random rnd, byte[] packet) {
    int[] kinds = {0, 60, 60, 43, 44, 59, 17};
    int count = 1 + rnd.nextInt(3);
    int[] types = new int[count];
    byte[][] headers = new byte[count][];
    int extra = 0;
    for (int i = 0; i < count; i++) {
      types[i] = kinds[rnd.nextInt(kinds.length)];
      byte[] h = new byte[types[i] == 44 ? 8 : 8 * (1 + rnd.nextInt(3))];
      if (rnd.nextInt(3) > 0) { // mostly padding and skippable options, sometimes anything
        for (int j = 2; j < h.length; j++) h[j] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 0);
      } else {
        h = randomBytes(rnd, h.length);
      }
      if (types[i] != 44) h[1] = (byte) (rnd.nextInt(8) == 0 ? rnd.nextInt(256) : h.length / 8 - 1);
      headers[i] = h;
      extra += h.length;
    }
    byte[] p = new byte[packet.length + extra];
    System.arraycopy(packet, 0, p, 0, 40);
    int at = 40;
    for (int i = 0; i < count; i++) {
      headers[i][0] = (byte) (i + 1 < count ? types[i + 1] : 6);
      System.arraycopy(headers[i], 0, p, at, headers[i].length);
      at += headers[i].length;
    }
    System.arraycopy(packet, 40, p, at, packet.length - 40);
    new Ipv6Header().wrap(p, 0, p.length).nextHeader(types[0]).payloadLength(p.length - 40);
    return p;
  }


  /** A correct packet from a random segment. */
  private static byte[] valid(Random rnd) {
    return SegmentEmitter.emit(validSegment(rnd),
        new Ipv4Params(rnd.nextInt(256), rnd.nextInt(0x10000), rnd.nextBoolean(), rnd.nextInt(256)));
  }

  /** A random segment between random IPv4 addresses, with options that fit. */
  private static Segment validSegment(Random rnd) {
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
    return s;
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
