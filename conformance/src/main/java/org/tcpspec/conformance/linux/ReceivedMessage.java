package org.tcpspec.conformance.linux;

import java.util.Arrays;

/**
 * A struct msghdr after recvmsg: msg_flags and the first msg_controllen bytes of the control
 * buffer, the control messages (struct cmsghdr records) the kernel wrote.
 */
public record ReceivedMessage(int flags, byte[] control) {
  public ReceivedMessage {
    control = control.clone();
  }

  @Override
  public byte[] control() {
    return control.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReceivedMessage m && m.flags == flags && Arrays.equals(m.control, control);
  }

  @Override
  public int hashCode() {
    return 31 * flags + Arrays.hashCode(control);
  }

  @Override
  public String toString() {
    return "ReceivedMessage[flags=0x" + Integer.toHexString(flags) + ", control=" + control.length + " bytes]";
  }
}
