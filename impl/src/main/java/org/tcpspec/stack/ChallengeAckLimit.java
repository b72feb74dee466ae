package org.tcpspec.stack;

import java.util.SplittableRandom;
import org.tcpspec.time.Clock;

/**
 * RFC 5961 §7's host-wide limit on challenge ACKs, shared by all of a {@link Stack}'s connections.
 * One per stack.
 */
final class ChallengeAckLimit {
  private final Stack stack;
  private final Clock clock;
  private final SplittableRandom random;
  /** RFC 5961 §7 host-wide challenge ACK budget: the second it is for, what is left of it. */
  private long challengeSecond = -1;
  private long challengeBudget;

  ChallengeAckLimit(Stack stack, Clock clock, SplittableRandom random) {
    this.stack = stack;
    this.clock = clock;
    this.random = random;
  }

  /**
   * RFC 5961 §7's host-wide limit on challenge ACKs, as Linux's tcp_send_challenge_ack: each
   * second a budget drawn between half of tcp_challenge_ack_limit and one and a half times it (so
   * an off-path attacker cannot count the ACKs to learn the window, CVE-2016-5696); INT_MAX, the
   * default since Linux 6.0, means no host-wide limit.
   */
  boolean challengeAckAllowed() {
    long limit = stack.config().challengeAckLimit();
    if (limit == Integer.MAX_VALUE) return true;
    long second = clock.nowNanos() / 1_000_000_000L;
    if (second != challengeSecond) {
      challengeSecond = second;
      challengeBudget = limit <= 0 ? 0 : (limit + 1) / 2 + random.nextLong(limit);
    }
    if (challengeBudget <= 0) return false;
    challengeBudget--;
    return true;
  }
}
