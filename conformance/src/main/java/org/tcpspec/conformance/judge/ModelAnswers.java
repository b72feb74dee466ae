package org.tcpspec.conformance.judge;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What spec/TcpLinuxTrace.tla lets an action answer (its {@code Allowed}), in the reply classes of
 * the records and with RFC 9293's reason, so that a cell that leaves the model says what the model
 * would have sent. A mirror of the module's sets, held to them by ModelAnswersTest.
 */
enum ModelAnswers {
  /** {@code AckAtOnce}: an ACK at once, left out only by ACK throttling (RFC 5961 §7, 500 ms). */
  ACK_AT_ONCE(Set.of("ack", "data"), "ack or data at once, none only within 500 ms of the last such ACK"),
  /** {@code FinAcked}: the FIN (or the SYN-ACK) is acknowledged. */
  FIN_ACKED(Set.of("ack", "data"), "ack or data"),
  /** {@code Silent}: dropped without an answer. */
  SILENT(Set.of("none"), "none"),
  /** {@code Reset}: answered with a RST. */
  RESET(Set.of("rst"), "rst"),
  /** {@code SynAcked}: answered with a SYN-ACK. */
  SYN_ACKED(Set.of("synack"), "synack"),
  /** Any other action: RFC 9293 does not say plainly what answers it. */
  ANY(Set.of("none", "ack", "data", "rst", "synack", "syn", "any"), "anything");

  /** TcpLinuxTrace's {@code Synced}: the states after the handshake. */
  static final List<String> SYNCED = List.of("Established", "FinWait1", "FinWait2", "CloseWait", "Closing", "LastAck",
      "TimeWait");

  static final Set<String> ACK_AT_ONCE_ACTIONS = cross(SYNCED,
      List.of("RcvUnacceptable", "RcvRstInWindow", "RcvSyn", "RcvAckAhead", "RcvAckTooOld"));
  static final Set<String> FIN_ACKED_ACTIONS = Set.of("EstablishedRcvFin", "FinWait1RcvFin", "FinWait1RcvFinAckOfFin",
      "FinWait2RcvFin", "CloseWaitRcvFin", "ClosingRcvFin", "LastAckRcvFin", "TimeWaitRcvFin", "SynSentRcvSynAck",
      "SynSentRcvSynAckFin");
  static final Set<String> SILENT_ACTIONS = Stream.concat(
      cross(Stream.concat(SYNCED.stream(), Stream.of("SynReceived")).toList(),
          List.of("RcvRstOutOfWindow", "RcvRstExact", "RcvNoAck")).stream(),
      Stream.of("ClosedRcvRst", "ListenRcvRst", "ListenRcvOther", "SynSentRcvRstNoAck", "SynSentRcvRst",
          "SynSentRcvOther", "CloseWaitRcvData", "ClosingRcvData", "LastAckRcvData", "TimeWaitRcvData"))
      .collect(Collectors.toUnmodifiableSet());
  static final Set<String> RESET_ACTIONS = Set.of("ClosedRcvSegment", "ListenRcvAck", "SynReceivedRcvBadAck",
      "FinWait1RcvDataAfterClose", "FinWait2RcvDataAfterClose");
  static final Set<String> SYN_ACKED_ACTIONS = Set.of("ListenRcvSyn", "SynSentRcvSyn", "TimeWaitRcvNewSyn");

  private final Set<String> replies;
  private final String words;

  ModelAnswers(Set<String> replies, String words) {
    this.replies = replies;
    this.words = words;
  }

  /** The reply classes the model allows (TcpLinuxTrace's {@code Allowed}). */
  Set<String> replies() {
    return replies;
  }

  /** The class of an action, in TcpLinuxTrace's order: AckAtOnce and FinAcked, Silent, Reset, SynAcked. */
  static ModelAnswers of(String action) {
    if (ACK_AT_ONCE_ACTIONS.contains(action)) return ACK_AT_ONCE;
    if (FIN_ACKED_ACTIONS.contains(action)) return FIN_ACKED;
    if (SILENT_ACTIONS.contains(action)) return SILENT;
    if (RESET_ACTIONS.contains(action)) return RESET;
    if (SYN_ACKED_ACTIONS.contains(action)) return SYN_ACKED;
    return ANY;
  }

  /** "answers ack or data at once (RFC 5961 §3.2: a challenge ACK), ...": what the model sends for the action, and why. */
  static String describe(String action) {
    ModelAnswers a = of(action);
    return "answers " + a.words + why(a, action);
  }

  /** The rule of RFC 9293 (or RFC 5961) behind the answer, from the action's name. */
  private static String why(ModelAnswers a, String action) {
    return switch (a) {
      case ACK_AT_ONCE -> {
        if (action.endsWith("RcvUnacceptable")) yield " (RFC 9293 §3.10.7.4 first: an unacceptable segment, PAWS's too)";
        if (action.endsWith("RcvRstInWindow")) yield " (RFC 5961 §3.2: a challenge ACK)";
        if (action.endsWith("RcvSyn")) yield " (RFC 5961 §4.2: a challenge ACK)";
        if (action.endsWith("RcvAckAhead")) yield " (RFC 9293 §3.10.7.4 fifth: an ACK of something not yet sent)";
        yield " (RFC 5961 §5.2: a challenge ACK)";
      }
      case SILENT -> {
        if (action.contains("Rst")) yield " (RFC 9293 §3.10.7: a RST is never answered)";
        if (action.endsWith("RcvNoAck")) yield " (RFC 9293 §3.10.7.4 fifth: without ACK, dropped)";
        if (action.endsWith("RcvData")) yield " (RFC 9293 §3.10.7.4 seventh: text after the peer's FIN is ignored)";
        yield " (RFC 9293 §3.10.7.2, §3.10.7.3: any other segment is dropped)";
      }
      case FIN_ACKED -> action.startsWith("SynSent") ? " (RFC 9293 §3.10.7.3 fourth: the SYN-ACK is acknowledged)"
          : " (RFC 9293 §3.10.7.4 eighth: the FIN is acknowledged)";
      case RESET -> switch (action) {
        case "ClosedRcvSegment" -> " (RFC 9293 §3.10.7.1)";
        case "ListenRcvAck" -> " (RFC 9293 §3.10.7.2 second)";
        case "SynReceivedRcvBadAck" -> " (RFC 9293 §3.10.7.4 fifth)";
        default -> " (RFC 9293 §3.6.1 SHLD-3: text after the user's CLOSE)";
      };
      case SYN_ACKED -> action.startsWith("TimeWait") ? " (RFC 9293 §3.6.1 MAY-2: a new connection)"
          : action.startsWith("Listen") ? " (RFC 9293 §3.10.7.2 third)" : " (RFC 9293 §3.10.7.3 fourth)";
      case ANY -> "";
    };
  }

  private static Set<String> cross(List<String> states, List<String> arrivals) {
    return states.stream().flatMap(s -> arrivals.stream().map(k -> s + k)).collect(Collectors.toUnmodifiableSet());
  }
}
