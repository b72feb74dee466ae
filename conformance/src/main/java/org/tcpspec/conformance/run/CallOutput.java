package org.tcpspec.conformance.run;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * What a system call wrote through its pointer arguments, in the form the call's checker compares
 * (packetdrill's run_system_call.c): the value of an option or an ioctl, poll's revents, a
 * message's flags and control data, epoll's first event.
 */
public sealed interface CallOutput {

  /** ioctl's int, poll's revents in the order of the fds. */
  record Ints(List<Long> values) implements CallOutput {
    public Ints {
      values = List.copyOf(values);
    }
  }

  /** The option value getsockopt wrote; its length is the optlen the kernel returned. */
  record Bytes(byte[] bytes) implements CallOutput {
    public Bytes {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(b.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Bytes[" + HexFormat.of().formatHex(bytes) + "]";
    }
  }

  /**
   * recvmsg's msghdr after the call: msg_flags, and the control buffer's first msg_controllen
   * bytes (struct cmsghdr records as the kernel laid them out, 64-bit cmsg_len).
   */
  record Message(int flags, byte[] control) implements CallOutput {
    public Message {
      control = control.clone();
    }

    @Override
    public byte[] control() {
      return control.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Message m && m.flags == flags && Arrays.equals(m.control, control);
    }

    @Override
    public int hashCode() {
      return 31 * flags + Arrays.hashCode(control);
    }

    @Override
    public String toString() {
      return "Message[flags=0x" + Integer.toHexString(flags) + ", control=" + HexFormat.of().formatHex(control) + "]";
    }
  }

  /**
   * epoll_wait's first struct epoll_event, zeros when it returned none (packetdrill compares only
   * the first, against a zeroed array): the events and the 64-bit epoll_data union.
   */
  record EpollEvent(int events, long data) implements CallOutput {}
}
