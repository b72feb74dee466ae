package org.tcpspec.trace;

/**
 * The fields of an arriving segment that RFC 9293 §3.10.7 reads, for trace validation: SEG.SEQ,
 * SEG.ACK (32-bit), the text's length, the control bits as the TCP header's flags byte carries them
 * (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10) and the raw 16-bit window field.
 */
public record SegmentFields(int seq, int ack, int payloadLength, int flags, int window) {
  private static final int FIN = 0x01;
  private static final int SYN = 0x02;
  private static final int RST = 0x04;
  private static final int ACK = 0x10;

  public boolean syn() {
    return (flags & SYN) != 0;
  }

  public boolean fin() {
    return (flags & FIN) != 0;
  }

  public boolean rst() {
    return (flags & RST) != 0;
  }

  public boolean ackFlag() {
    return (flags & ACK) != 0;
  }

  String toJson() {
    return "{\"seq\":" + Integer.toUnsignedString(seq)
        + ",\"ack\":" + Integer.toUnsignedString(ack)
        + ",\"len\":" + payloadLength
        + ",\"flags\":" + flags
        + ",\"win\":" + window + "}";
  }
}
