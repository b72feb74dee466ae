package org.tcpspec.conformance.report;

/**
 * What the model says of one linux cell (issue 17, point 3): its exchange is a behaviour of
 * TcpEndpoint, or it leaves the model at a step the detail names, or the judge could not follow it.
 */
public record LinuxJudgment(String cell, Kind kind, String detail) {

  public enum Kind {
    BEHAVIOUR("behaviour of the model"),
    LEAVES("leaves the model"),
    NOT_JUDGED("not judged");

    private final String words;

    Kind(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /** One line: "behaviour of the model", or the kind and its detail. */
  public String line() {
    return detail.isEmpty() ? kind.words() : kind.words() + ": " + detail;
  }
}
