package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 §3.4 sequence arithmetic modulo 2^32, checked against a BigInteger model, with values
 * crowded around the wrap (0xFFFFFFFF -> 0) and around the sign flip (0x7FFFFFFF -> 0x80000000).
 */
class SeqNumPropertiesTest {

  private static final BigInteger MOD = BigInteger.ONE.shiftLeft(32);
  private static final long HALF = 1L << 31;

  @Provide
  Arbitrary<Integer> seqs() {
    return Arbitraries.oneOf(
        Arbitraries.integers(),
        Arbitraries.integers().between(-2000, 2000),
        Arbitraries.integers().between(Integer.MAX_VALUE - 2000, Integer.MAX_VALUE),
        Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MIN_VALUE + 2000));
  }

  private static BigInteger model(int s) {
    return BigInteger.valueOf(Integer.toUnsignedLong(s));
  }

  /** How far b is ahead of a, in [0, 2^32), by the model. */
  private static long ahead(int a, int b) {
    return model(b).subtract(model(a)).mod(MOD).longValueExact();
  }

  @Property(tries = 1000)
  void plusAndDistanceAreInverse(@ForAll("seqs") int a, @ForAll("seqs") int b, @ForAll int n) {
    assertEquals(b, SeqNum.plus(a, SeqNum.distance(a, b)));
    assertEquals(n, SeqNum.distance(a, SeqNum.plus(a, n)));
  }

  @Property(tries = 1000)
  void plusAgreesWithTheModel(@ForAll("seqs") int a, @ForAll @LongRange(min = -(1L << 32), max = 1L << 32) long n) {
    BigInteger expected = model(a).add(BigInteger.valueOf(n)).mod(MOD);
    assertEquals(expected.longValueExact(), SeqNum.unsigned(SeqNum.plus(a, n)));
  }

  @Property(tries = 1000)
  void comparisonsAgreeWithTheModelAwayFromTheHalfwayPoint(@ForAll("seqs") int a, @ForAll("seqs") int b) {
    long d = ahead(a, b);
    if (d == HALF) return; // ambiguous by definition, see ambiguityAtExactlyHalfTheSpace
    assertEquals(d != 0 && d < HALF, SeqNum.lt(a, b), "lt");
    assertEquals(d < HALF, SeqNum.le(a, b), "le");
    assertEquals(d > HALF, SeqNum.gt(a, b), "gt");
    assertEquals(d == 0 || d > HALF, SeqNum.ge(a, b), "ge");
  }

  @Property(tries = 1000)
  void gtIsLtSwappedEverywhere(@ForAll("seqs") int a, @ForAll("seqs") int b) {
    assertEquals(SeqNum.lt(b, a), SeqNum.gt(a, b));
    assertEquals(SeqNum.le(b, a), SeqNum.ge(a, b));
    assertEquals(SeqNum.lt(a, b) || a == b, SeqNum.le(a, b));
  }

  @Property(tries = 1000)
  void ltIsAntisymmetricAwayFromTheHalfwayPoint(@ForAll("seqs") int a, @ForAll("seqs") int b) {
    if (ahead(a, b) == HALF) return;
    assertFalse(SeqNum.lt(a, b) && SeqNum.lt(b, a));
    assertFalse(SeqNum.lt(a, a));
  }

  @Property(tries = 1000)
  void ltIsTransitiveWithinAHalfSpace(
      @ForAll("seqs") int a,
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE - 1) int d1,
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE - 1) int d2) {
    if ((long) d1 + d2 >= HALF) return;
    int b = SeqNum.plus(a, d1);
    int c = SeqNum.plus(b, d2);
    assertTrue(SeqNum.lt(a, b));
    assertTrue(SeqNum.lt(b, c));
    assertTrue(SeqNum.lt(a, c));
  }

  @Property(tries = 1000)
  void inWindowAgreesWithTheModel(
      @ForAll("seqs") int s,
      @ForAll("seqs") int start,
      @ForAll @LongRange(min = 0, max = (1L << 31) - 1) long size) {
    // s is in [start, start + size) iff start + k == s (mod 2^32) for some k in [0, size).
    assertEquals(ahead(start, s) < size, SeqNum.inWindow(s, start, size));
  }

  @Property(tries = 1000)
  void maxAndMinAreOrderedAndCommutativeAwayFromTheHalfwayPoint(@ForAll("seqs") int a, @ForAll("seqs") int b) {
    if (ahead(a, b) == HALF) return;
    assertEquals(SeqNum.max(a, b), SeqNum.max(b, a));
    assertEquals(SeqNum.min(a, b), SeqNum.min(b, a));
    assertTrue(SeqNum.le(SeqNum.min(a, b), SeqNum.max(a, b)));
    assertTrue(SeqNum.max(a, b) == a || SeqNum.max(a, b) == b);
  }

  @Test
  void comparisonsAcrossTheWrap() {
    assertTrue(SeqNum.lt(0xFFFFFFFF, 0));
    assertTrue(SeqNum.gt(0, 0xFFFFFFFF));
    assertTrue(SeqNum.lt(0xFFFFFFF0, 0x10));
    assertEquals(0x20, SeqNum.distance(0xFFFFFFF0, 0x10));
    assertEquals(0x0F, SeqNum.plus(0xFFFFFFFF, 16));
    assertEquals(0x10, SeqNum.max(0xFFFFFFF0, 0x10));
    assertEquals(4294967295L, SeqNum.unsigned(-1));
  }

  /** Exactly 2^31 apart: lt and gt hold both ways, as Linux's before()/after() do. */
  @Test
  void ambiguityAtExactlyHalfTheSpace() {
    int a = 5;
    int b = SeqNum.plus(a, HALF);
    assertTrue(SeqNum.lt(a, b) && SeqNum.lt(b, a));
    assertTrue(SeqNum.gt(a, b) && SeqNum.gt(b, a));
  }

  @Test
  void windowEdges() {
    assertTrue(SeqNum.inWindow(0xFFFFFFFF, 0xFFFFFFFF, 1));
    assertTrue(SeqNum.inWindow(0, 0xFFFFFFFF, 2));
    assertFalse(SeqNum.inWindow(1, 0xFFFFFFFF, 2));
    assertFalse(SeqNum.inWindow(7, 7, 0));
    assertThrows(IllegalArgumentException.class, () -> SeqNum.inWindow(0, 0, 1L << 31));
    assertThrows(IllegalArgumentException.class, () -> SeqNum.inWindow(0, 0, -1));
  }
}
