package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.FastOpenOption.Cookie;

/** The Fast Open option (RFC 7413 §4.1.1) through the wire and back, and Linux's parsing rules. */
class FastOpenOptionTest {
  private static final byte[] COOKIE = HexFormat.of().parseHex("3021b9d889017eeb");

  /** A SYN with MSS, SACK-permitted and then {@code fastOpen}, emitted and parsed again. */
  private static Segment throughTheWire(List<TcpOption> fastOpen) {
    List<TcpOption> options = new ArrayList<>(List.of(new TcpOption.Mss(1460), new TcpOption.Nop(),
        new TcpOption.Nop(), new TcpOption.SackPermitted()));
    options.addAll(fastOpen);
    Segment syn = new Segment(Packets.REMOTE, Packets.LOCAL, 40000, 8080, 7, 0, TcpFlags.SYN, 65535, 0, options,
        new byte[10]);
    byte[] packet = SegmentEmitter.emit(syn);
    return assertInstanceOf(ParseResult.Parsed.class, SegmentParser.parse(packet, 0, packet.length)).segment();
  }

  @Test
  void aCookieOfKind34RoundTripsWithTwoNopsOfPadding() {
    List<TcpOption> written = FastOpenOption.options(new Cookie(COOKIE, false));
    assertEquals(3, written.size(), "kind 34 of length 10 leaves half a word: two NOPs follow");
    Segment parsed = throughTheWire(written);
    assertEquals(Optional.of(new Cookie(COOKIE, false)), FastOpenOption.find(parsed.options()));
    assertEquals("mss 1460,nop,nop,sackOK,kind 34 len 10 3021b9d889017eeb,nop,nop",
        TcpOption.toPacketdrill(parsed.options()));
  }

  @Test
  void anExperimentalCookieRoundTripsWithTheMagicAndNoPadding() {
    List<TcpOption> written = FastOpenOption.options(new Cookie(COOKIE, true));
    assertEquals(1, written.size(), "kind 254 of length 12 fills three words");
    assertEquals(Optional.of(new Cookie(COOKIE, true)), FastOpenOption.find(throughTheWire(written).options()));
  }

  @Test
  void anEmptyOptionIsACookieRequestInEitherKind() {
    Cookie request = FastOpenOption.find(throughTheWire(FastOpenOption.options(new Cookie(new byte[0], false)))
        .options()).orElseThrow();
    assertTrue(request.request());
    Cookie experimental = FastOpenOption.find(throughTheWire(FastOpenOption.options(new Cookie(new byte[0], true)))
        .options()).orElseThrow();
    assertTrue(experimental.request() && experimental.experimental());
  }

  @Test
  void linuxIgnoresAnOddLengthAndDropsACookieOfABadLength() {
    // tcp_parse_fastopen_option: an odd cookie length is ignored, so the earlier option stands.
    List<TcpOption> odd = List.of(new TcpOption.Unknown(FastOpenOption.KIND, COOKIE),
        new TcpOption.Unknown(FastOpenOption.KIND, new byte[5]));
    assertEquals(Optional.of(new Cookie(COOKIE, false)), FastOpenOption.find(odd));
    // An even length outside 4..16 leaves no cookie at all (foc->len = -1).
    List<TcpOption> tooShort = List.of(new TcpOption.Unknown(FastOpenOption.KIND, COOKIE),
        new TcpOption.Unknown(FastOpenOption.KIND, new byte[2]));
    assertEquals(Optional.empty(), FastOpenOption.find(tooShort));
    // Kind 254 without the magic is some other experiment.
    assertEquals(Optional.empty(), FastOpenOption.find(List.of(new TcpOption.Unknown(254, new byte[] {1, 2, 3, 4}))));
  }
}
