package org.tcpspec.conformance.linux;

import java.util.Optional;
import org.tcpspec.device.linux.SyscallResult;

/**
 * A system call's result plus what it wrote through its pointer arguments: the bytes read, the
 * option value, the peer address, the revents of poll. {@code out} is present exactly when the call
 * succeeded.
 */
public record SyscallOut<T>(SyscallResult result, Optional<T> out) {

  public static <T> SyscallOut<T> ok(SyscallResult result, T out) {
    return new SyscallOut<>(result, Optional.of(out));
  }

  public static <T> SyscallOut<T> failed(SyscallResult result) {
    return new SyscallOut<>(result, Optional.empty());
  }

  public boolean succeeded() {
    return result.succeeded();
  }

  /** The value written through the pointer; throws when the call failed. */
  public T value() {
    return out.orElseThrow(() -> new IllegalStateException("call failed: " + result));
  }

  @Override
  public String toString() {
    return out.map(o -> result + " " + o).orElse(result.toString());
  }
}
