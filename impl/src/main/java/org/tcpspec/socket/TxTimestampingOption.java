package org.tcpspec.socket;

import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_OPT_ID;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_OPT_ID_TCP;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_OPT_STATS;
import static org.tcpspec.abi.Symbol.SOF_TIMESTAMPING_OPT_TSONLY;

import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.fsm.State;

/**
 * setsockopt(SO_TIMESTAMPING) with an int, as Linux's sock_set_timestamping checks and applies it:
 * flags beyond SOF_TIMESTAMPING_MASK, OPT_ID_TCP without OPT_ID and OPT_STATS without OPT_TSONLY
 * are EINVAL; turning OPT_ID on needs a connection (EINVAL on a socket in CLOSE or LISTEN), whose
 * ids then count from SND.UNA, or write_seq with OPT_ID_TCP (sk_tskey). The flags are the socket's
 * (and a listener's children's); what they make the stack stamp is {@link
 * org.tcpspec.stack.TxTimestamps}'.
 */
final class TxTimestampingOption {
  private TxTimestampingOption() {}

  /** Linux 6.18's SOF_TIMESTAMPING_MASK: every flag up to SOF_TIMESTAMPING_TX_COMPLETION (1 << 18). */
  static final int MASK = (1 << 19) - 1;

  static SysResult<Void> set(Sock s, int value) {
    if ((value & ~MASK) != 0) return SysResult.error(Errno.EINVAL);
    if (has(value, SOF_TIMESTAMPING_OPT_ID_TCP.value()) && !has(value, SOF_TIMESTAMPING_OPT_ID.value())) {
      return SysResult.error(Errno.EINVAL);
    }
    boolean idsStart = has(value, SOF_TIMESTAMPING_OPT_ID.value()) && !has(s.options.timestamping, SOF_TIMESTAMPING_OPT_ID.value());
    if (idsStart && (s.conn == null || s.conn.state() == State.CLOSED)) return SysResult.error(Errno.EINVAL);
    if (has(value, SOF_TIMESTAMPING_OPT_STATS.value()) && !has(value, SOF_TIMESTAMPING_OPT_TSONLY.value())) {
      return SysResult.error(Errno.EINVAL);
    }
    if (idsStart) s.conn.txTimestamps().startIds(has(value, SOF_TIMESTAMPING_OPT_ID_TCP.value()));
    s.options.timestamping = value;
    return SysResult.ok(0);
  }

  private static boolean has(int flags, int flag) {
    return (flags & flag) != 0;
  }
}
