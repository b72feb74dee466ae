package org.tcpspec.stack;

import java.util.List;
import org.tcpspec.cc.CongestionControl;
import org.tcpspec.cc.Cubic;
import org.tcpspec.cc.Reno;
import org.tcpspec.cc.SenderState;

/** The congestion control algorithms tcp_congestion_control can name, and a new instance of one. */
final class CongestionControls {
  private CongestionControls() {}

  /** The names tcp_congestion_control accepts (Linux's tcp_available_congestion_control here). */
  static final List<String> AVAILABLE = List.of("cubic", "reno");

  static boolean known(String name) {
    return AVAILABLE.contains(name);
  }

  /** A fresh instance of the algorithm {@code config} names, for the sender {@code sender}. */
  static CongestionControl create(StackConfig config, SenderState sender) {
    return switch (config.congestionControl()) {
      case "cubic" -> new Cubic(sender);
      case "reno" -> new Reno();
      default -> throw new IllegalArgumentException("unknown congestion control: " + config.congestionControl());
    };
  }
}
