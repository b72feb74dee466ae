package org.tcpspec.conformance.report;

/**
 * What the model says of one linux cell (issue 17, point 3): its exchange is a behaviour of
 * TcpEndpoint, or it leaves the model at a step the detail names, or the judge could not follow it.
 *
 * @param sut the cell's column: {@code linux}, or {@code linux <release>} in a merge over kernels,
 *     where each kernel's cells keep their own judgments
 * @param script the cell's script
 */
public record LinuxJudgment(String sut, String script, Kind kind, String detail) {

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

  /** The cell as lists name it: the script, with its kernel in a merge over kernels. */
  public String cellName() {
    return sut.equals(LinuxBaseline.SUT) ? script : script + " (" + sut + ")";
  }

  /** One line: "behaviour of the model", or the kind and its detail. */
  public String line() {
    return detail.isEmpty() ? kind.words() : kind.words() + ": " + detail;
  }
}
