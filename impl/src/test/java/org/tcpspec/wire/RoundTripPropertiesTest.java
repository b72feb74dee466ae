package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.tcpspec.wire.ParseResult.Parsed;

/** emit then parse gives back the segment and the IPv4 parameters, for arbitrary segments. */
class RoundTripPropertiesTest {

  @Provide
  Arbitrary<Segment> segments() {
    return SegmentArbitraries.segment();
  }

  @Provide
  Arbitrary<Ipv4Params> params() {
    return SegmentArbitraries.ipv4Params();
  }

  @Property(tries = 1000)
  void parseOfEmitIsIdentity(@ForAll("segments") Segment s, @ForAll("params") Ipv4Params ip) {
    byte[] packet = SegmentEmitter.emit(s, ip);
    assertEquals(s.ipTotalLength(), packet.length);
    assertEquals(new Parsed(s, ip), SegmentParser.parse(packet, 0, packet.length));
    Statistics.label("options").collect(s.options().size() > 3 ? ">3" : s.options().size());
    Statistics.label("unknown").collect(s.option(TcpOption.Unknown.class).isPresent());
  }

  @Property(tries = 1000)
  void emittedChecksumsVerify(@ForAll("segments") Segment s) {
    byte[] packet = SegmentEmitter.emit(s);
    Ipv4Header iph = new Ipv4Header().wrap(packet, 0, packet.length);
    assertTrue(iph.headerChecksumValid());
    TcpHeader tcp = new TcpHeader().wrap(iph, 20, packet.length - 20);
    assertTrue(tcp.checksumValid(s.srcAddr(), s.dstAddr()));
    assertEquals(s.tcpHeaderLength(), tcp.headerLength());
    assertEquals(0, tcp.headerLength() % 4);
  }

  @Provide
  Arbitrary<List<TcpOption>> listsWithEol() {
    Arbitrary<TcpOption> withEol = Arbitraries.oneOf(SegmentArbitraries.option(), Arbitraries.just(new TcpOption.Eol()));
    return SegmentArbitraries.options(withEol);
  }

  /** RFC 9293 §3.2: an EOL ends the list; what follows it is never read back. */
  @Property(tries = 300)
  void eolTruncatesTheListOnParse(@ForAll("listsWithEol") List<TcpOption> options) {
    Segment s = Packets.data(new byte[] {42}, options);
    byte[] packet = SegmentEmitter.emit(s);
    List<TcpOption> expected = new ArrayList<>();
    for (TcpOption o : options) {
      if (o instanceof TcpOption.Eol) break;
      expected.add(o);
    }
    Segment back = ((Parsed) SegmentParser.parse(packet, 0, packet.length)).segment();
    assertEquals(expected, back.options());
    assertEquals(1, back.payloadLength());
  }
}
