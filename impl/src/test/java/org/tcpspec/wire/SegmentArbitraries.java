package org.tcpspec.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for segments, options and IPv4 parameters, shared by the property tests. */
final class SegmentArbitraries {
  private SegmentArbitraries() {}

  /** Options the parser can give back, i.e. anything but EOL (which ends the list). */
  static Arbitrary<TcpOption> option() {
    return option(unknown());
  }

  /** As {@link #option()}, with the given generator for {@link TcpOption.Unknown}. */
  static Arbitrary<TcpOption> option(Arbitrary<TcpOption> unknown) {
    Arbitrary<Integer> u32 = Arbitraries.integers();
    Arbitrary<TcpOption.SackBlock> block = Combinators.combine(u32, u32).as(TcpOption.SackBlock::new);
    return Arbitraries.oneOf(
        Arbitraries.just(new TcpOption.Nop()),
        Arbitraries.integers().between(0, 0xFFFF).map(TcpOption.Mss::new),
        Arbitraries.integers().between(0, 0xFF).map(TcpOption.WindowScale::new),
        Arbitraries.just(new TcpOption.SackPermitted()),
        block.list().ofMinSize(1).ofMaxSize(4).map(TcpOption.Sack::new),
        Combinators.combine(u32, u32).as(TcpOption.Timestamp::new),
        unknown);
  }

  /** Unknown kinds, and known kinds with a length they do not have. */
  static Arbitrary<TcpOption> unknown() {
    return Combinators.combine(
            Arbitraries.integers().between(2, 255),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(38))
        .filter((kind, data) -> !TcpOption.isDefinedLength(kind, 2 + data.length))
        .as(TcpOption.Unknown::new);
  }

  /** Unknown kinds only: no known kind with a wrong length. */
  static Arbitrary<TcpOption> unknownKindsOnly() {
    Set<Integer> known = Set.of(TcpOption.KIND_MSS, TcpOption.KIND_WSCALE,
        TcpOption.KIND_SACK_PERMITTED, TcpOption.KIND_SACK, TcpOption.KIND_TIMESTAMP);
    return unknown().filter(o -> !known.contains(o.kind()));
  }

  /** Option lists that fit in 40 bytes: the longest fitting prefix of a random list. */
  static Arbitrary<List<TcpOption>> options(Arbitrary<TcpOption> option) {
    return option.list().ofMaxSize(12).map(SegmentArbitraries::fitting);
  }

  static List<TcpOption> fitting(List<TcpOption> all) {
    List<TcpOption> fit = new ArrayList<>();
    int used = 0;
    for (TcpOption o : all) {
      if (used + o.wireLength() > Segment.TCP_MAX_OPTIONS_LENGTH) break;
      fit.add(o);
      used += o.wireLength();
    }
    return fit;
  }

  private record Header(int srcAddr, int dstAddr, int srcPort, int dstPort, int seq, int ack,
      int flags, int window) {}

  static Arbitrary<Segment> segment(Arbitrary<Integer> ports, Arbitrary<List<TcpOption>> options) {
    Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xFFFF);
    Arbitrary<Header> header = Combinators.combine(
            Arbitraries.integers(), Arbitraries.integers(), ports, ports,
            Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers().between(0, 0x1FF), u16)
        .as(Header::new);
    Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    return Combinators.combine(header, u16, options, payload)
        .as((h, urg, opts, data) -> new Segment(h.srcAddr(), h.dstAddr(), h.srcPort(), h.dstPort(),
            h.seq(), h.ack(), h.flags(), h.window(), urg, opts, data));
  }

  static Arbitrary<Segment> segment() {
    return segment(Arbitraries.integers().between(0, 0xFFFF), options(option()));
  }

  static Arbitrary<Ipv4Params> ipv4Params() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 0xFF),
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 0xFF))
        .as(Ipv4Params::new);
  }
}
