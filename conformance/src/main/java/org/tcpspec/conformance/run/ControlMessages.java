package org.tcpspec.conformance.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.tcpspec.abi.Symbol;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Syscall;

/**
 * Control messages (struct cmsghdr and its data, as glibc lays them out on 64-bit Linux: an 8-byte
 * cmsg_len, level, type, data aligned to 8) written from a script's {@code msg_control=[...]} and
 * compared as packetdrill's cmsg_expect_eq compares them. A cmsg_data is an int (TCP_CM_INQ), a
 * {@code {scm_sec=.., scm_nsec=..}} (struct scm_timestamping: the first of its three timespecs), a
 * {@code {ee_errno=.., ee_origin=.., ee_type=.., ee_code=.., ee_info=.., ee_data=..}} (struct
 * sock_extended_err followed by the offender's sockaddr, include/uapi/linux/errqueue.h), or a list
 * {@code {TCP_NLA_X=value, ...}} of netlink attributes (SCM_TIMESTAMPING_OPT_STATS; {@code ...}
 * leaves one unchecked).
 */
final class ControlMessages {
  private ControlMessages() {}

  /** sizeof(struct cmsghdr) on 64-bit Linux: size_t cmsg_len, int cmsg_level, int cmsg_type. */
  private static final int HEADER = 16;
  private static final int SOCK_EXTENDED_ERR = 16;
  private static final int SOCKADDR_IN = 16;
  private static final int SOCKADDR_IN6 = 28;
  /** struct scm_timestamping: three struct timespec of two 64-bit longs. */
  private static final int SCM_TIMESTAMPING = 48;
  private static final int NLA_HEADER = 4;

  /** packetdrill's OPT_NLA_IGNORE_VAL, ~0U: the value {@code ...} stands for. */
  private static final long NLA_IGNORE = 0xFFFF_FFFFL;

  /** Bytes of the value of each TCP_NLA_* attribute (packetdrill's tcp_nla table). */
  private static final int[] NLA_BYTES = {
    4, 8, 8, 8, 8, 8, 8, 8, // PAD, BUSY, RWND_LIMITED, SNDBUF_LIMITED, DATA_SEGS_OUT, TOTAL_RETRANS, PACING_RATE, DELIVERY_RATE
    4, 4, 4, 1, 1, 4, 1, 4, // SND_CWND, REORDERING, MIN_RTT, RECUR_RETRANS, DELIVERY_RATE_APP_LMT, SNDQ_SIZE, CA_STATE, SND_SSTHRESH
    4, 4, 8, 8, 4, 4, 4 // DELIVERED, DELIVERED_CE, BYTES_SENT, BYTES_RETRANS, DSACK_DUPS, REORD_SEEN, SRTT
  };

  private static int align8(long n) {
    return (int) ((n + 7) & ~7L);
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The script's control messages as C bytes, CMSG_SPACE of each; empty for none. */
  static byte[] encode(Interpreter in, List<Expr> cmsgs) throws ScriptFailure {
    List<byte[]> messages = new ArrayList<>();
    int total = 0;
    for (Expr e : cmsgs) {
      if (!(e instanceof Expr.Struct st)) {
        throw ScriptFailure.error(e.pos(), "msg_control: expected {cmsg_level=..., cmsg_type=..., cmsg_data=...}");
      }
      int level = (int) CallArgs.value(in, CallArgs.required(st, "cmsg_level", "cmsg"));
      int type = (int) CallArgs.value(in, CallArgs.required(st, "cmsg_type", "cmsg"));
      byte[] data = data(in, level, CallArgs.required(st, "cmsg_data", "cmsg"));
      byte[] message = new byte[HEADER + align8(data.length)];
      le(message).putLong(HEADER + data.length).putInt(level).putInt(type).put(data);
      messages.add(message);
      total += message.length;
    }
    ByteBuffer out = ByteBuffer.allocate(total);
    for (byte[] m : messages) out.put(m);
    return out.array();
  }

  private static byte[] data(Interpreter in, int level, Expr e) throws ScriptFailure {
    if (!(e instanceof Expr.Struct st)) {
      byte[] b = new byte[4];
      le(b).putInt((int) CallArgs.value(in, e));
      return b;
    }
    if (CallArgs.field(st, "scm_sec").isPresent()) {
      byte[] b = new byte[SCM_TIMESTAMPING];
      le(b).putLong(CallArgs.value(in, CallArgs.required(st, "scm_sec", "scm_timestamping")))
          .putLong(CallArgs.value(in, CallArgs.required(st, "scm_nsec", "scm_timestamping")));
      return b;
    }
    if (CallArgs.field(st, "ee_errno").isPresent()) {
      String what = "sock_extended_err";
      byte[] b = new byte[SOCK_EXTENDED_ERR + (level == Symbol.SOL_IP.value() ? SOCKADDR_IN : SOCKADDR_IN6)];
      le(b).putInt((int) CallArgs.value(in, CallArgs.required(st, "ee_errno", what)))
          .put((byte) CallArgs.value(in, CallArgs.required(st, "ee_origin", what)))
          .put((byte) CallArgs.value(in, CallArgs.required(st, "ee_type", what)))
          .put((byte) CallArgs.value(in, CallArgs.required(st, "ee_code", what)))
          .put((byte) 0)
          .putInt((int) CallArgs.value(in, CallArgs.required(st, "ee_info", what)))
          .putInt((int) CallArgs.value(in, CallArgs.required(st, "ee_data", what)));
      return b;
    }
    return attributes(in, st);
  }

  /** {@code {TCP_NLA_X=value, ...}} as netlink attributes, each padded to 4 bytes (add_nla). */
  private static byte[] attributes(Interpreter in, Expr.Struct st) throws ScriptFailure {
    ByteBuffer out = le(new byte[st.items().size() * (NLA_HEADER + 8)]);
    for (Expr item : st.items()) {
      if (!(item instanceof Expr.Assign a)) {
        throw ScriptFailure.error(item.pos(), "cmsg_data: expected {TCP_NLA_...=value, ...}");
      }
      long key = CallArgs.value(in, a.key());
      if (key < 0 || key >= NLA_BYTES.length) throw ScriptFailure.error(item.pos(), "bad NLA type " + key);
      int bytes = NLA_BYTES[(int) key];
      long value = a.value() instanceof Expr.Ellipsis ? NLA_IGNORE : CallArgs.value(in, a.value());
      int start = out.position();
      out.putShort((short) (NLA_HEADER + bytes)).putShort((short) key);
      for (int k = 0; k < bytes; k++) out.put((byte) (value >>> (8 * k)));
      out.position(start + ((NLA_HEADER + bytes + 3) & ~3));
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  /** Offset of the first cmsghdr of a control buffer, -1 if none fits (CMSG_FIRSTHDR). */
  private static int first(byte[] buf) {
    return buf.length >= HEADER ? 0 : -1;
  }

  /** Offset of the cmsghdr after the one at {@code at}, -1 if none (glibc's __cmsg_nxthdr). */
  private static int next(byte[] buf, int at) {
    long len = le(buf).getLong(at);
    if (len < HEADER) return -1;
    long n = at + align8(len);
    if (n + HEADER > buf.length) return -1;
    if (n + align8(le(buf).getLong((int) n)) > buf.length) return -1;
    return (int) n;
  }

  /**
   * Compares the control messages recvmsg returned with the script's, pair by pair: level, type,
   * length, then the data by what the returned message is (an IP_RECVERR's sock_extended_err
   * fields, SCM_TIMESTAMPING's timestamps within the tolerance, OPT_STATS's attributes, the bytes of
   * anything else); then both lists must end together.
   */
  static void check(Interpreter in, Syscall s, byte[] expected, byte[] actual) throws ScriptFailure {
    int e = first(expected);
    int a = first(actual);
    int i = 0;
    while (a >= 0 && e >= 0 && le(actual).getLong(a) != 0 && le(expected).getLong(e) != 0) {
      ByteBuffer ab = le(actual);
      ByteBuffer eb = le(expected);
      int level = ab.getInt(a + 8);
      int type = ab.getInt(a + 12);
      checkField(s, i, "cmsg_level", eb.getInt(e + 8), level);
      checkField(s, i, "cmsg_type", eb.getInt(e + 12), type);
      checkField(s, i, "cmsg_len", eb.getLong(e), ab.getLong(a));
      int dataLength = (int) ab.getLong(a) - HEADER;
      int ad = a + HEADER;
      int ed = e + HEADER;
      if ((level == Symbol.SOL_IP.value() && type == Symbol.IP_RECVERR.value())
          || (level == Symbol.SOL_IPV6.value() && type == Symbol.IPV6_RECVERR.value())) {
        checkField(s, i, "ee_errno", eb.getInt(ed) & 0xFFFF_FFFFL, ab.getInt(ad) & 0xFFFF_FFFFL);
        checkField(s, i, "ee_origin", eb.get(ed + 4) & 0xFF, ab.get(ad + 4) & 0xFF);
        checkField(s, i, "ee_type", eb.get(ed + 5) & 0xFF, ab.get(ad + 5) & 0xFF);
        checkField(s, i, "ee_code", eb.get(ed + 6) & 0xFF, ab.get(ad + 6) & 0xFF);
        checkField(s, i, "ee_info", eb.getInt(ed + 8) & 0xFFFF_FFFFL, ab.getInt(ad + 8) & 0xFFFF_FFFFL);
        checkField(s, i, "ee_data", eb.getInt(ed + 12) & 0xFFFF_FFFFL, ab.getInt(ad + 12) & 0xFFFF_FFFFL);
      } else if (level == Symbol.SOL_SOCKET.value() && type == Symbol.SCM_TIMESTAMPING.value()) {
        checkTimestamps(in, s, i, eb, ed, ab, ad);
      } else if (level == Symbol.SOL_SOCKET.value() && type == Symbol.SCM_TIMESTAMPING_OPT_STATS.value()) {
        checkAttributes(in, s, i, eb, ed, ab, ad, dataLength);
      } else {
        for (int k = 0; k < dataLength; k++) {
          if (expected[ed + k] != actual[ad + k]) {
            throw ScriptFailure.fail(s.pos(), s.name() + ": cmsg " + i + ": data: expected "
                + hex(expected, ed, dataLength) + " vs actual " + hex(actual, ad, dataLength));
          }
        }
      }
      a = next(actual, a);
      e = next(expected, e);
      i++;
    }
    if (a < 0 && e < 0) return;
    if (a >= 0 && e < 0) throw ScriptFailure.fail(s.pos(), s.name() + ": received more than " + i + " cmsgs");
    if (a < 0) throw ScriptFailure.fail(s.pos(), s.name() + ": received only " + i + " cmsgs");
    throw ScriptFailure.fail(s.pos(), s.name() + ": cmsgs do not match");
  }

  private static void checkField(Syscall s, int i, String field, long expected, long actual) throws ScriptFailure {
    if (expected != actual) {
      throw ScriptFailure.fail(s.pos(), s.name() + ": cmsg " + i + ": " + field + ": expected " + expected
          + " vs actual " + actual);
    }
  }

  /**
   * scm_timestamping_expect_eq: each expected timespec that is not 0 is a script time; the kernel's
   * CLOCK_REALTIME stamp must be that time of the run, within --tolerance_usecs.
   */
  private static void checkTimestamps(Interpreter in, Syscall s, int i, ByteBuffer eb, int ed,
      ByteBuffer ab, int ad) throws ScriptFailure {
    for (int k = 0; k < 3; k++) {
      long eSec = eb.getLong(ed + 16 * k);
      long eNsec = eb.getLong(ed + 16 * k + 8);
      if (eSec == 0 && eNsec == 0) continue;
      long expectedMicros = eSec * 1_000_000 + eNsec / 1000;
      long actualRealtime = ab.getLong(ad + 16 * k) * 1_000_000 + ab.getLong(ad + 16 * k + 8) / 1000;
      OptionalLong actualSut = in.sut().microsOfRealtime(actualRealtime);
      if (actualSut.isEmpty()) {
        throw ScriptFailure.error(s.pos(), s.name() + ": " + in.sut().name() + " reports no CLOCK_REALTIME timestamps");
      }
      long actualMicros = actualSut.getAsLong() - in.originMicros();
      if (Math.abs(expectedMicros - actualMicros) > in.toleranceMicros()) {
        throw ScriptFailure.fail(s.pos(), s.name() + ": cmsg " + i + ": timestamp " + k + " of scm_timestamping: expected "
            + Interpreter.seconds(expectedMicros) + " s vs actual " + Interpreter.seconds(actualMicros)
            + " s (tolerance " + in.toleranceMicros() + " us)");
      }
    }
  }

  /** scm_opt_stats_expect_eq: attribute by attribute, as packetdrill weighs each kind. */
  private static void checkAttributes(Interpreter in, Syscall s, int i, ByteBuffer eb, int ed,
      ByteBuffer ab, int ad, int length) throws ScriptFailure {
    int offset = 0;
    while (offset < length) {
      int eType = eb.getShort(ed + offset + 2) & 0xFFFF;
      int eLen = eb.getShort(ed + offset) & 0xFFFF;
      checkField(s, i, "nla_type", eType, ab.getShort(ad + offset + 2) & 0xFFFF);
      checkField(s, i, "nla_len", eLen, ab.getShort(ad + offset) & 0xFFFF);
      if (eType >= NLA_BYTES.length || eType == 0) {
        throw ScriptFailure.fail(s.pos(), s.name() + ": cmsg " + i + ": unexpected TCP_NLA type " + eType);
      }
      int bytes = NLA_BYTES[eType];
      long ev = 0;
      long av = 0;
      for (int k = 0; k < bytes; k++) {
        ev |= (eb.get(ed + offset + NLA_HEADER + k) & 0xFFL) << (8 * k);
        av |= (ab.get(ad + offset + NLA_HEADER + k) & 0xFFL) << (8 * k);
      }
      long ignore = bytes == 8 ? NLA_IGNORE : NLA_IGNORE & ((1L << (8 * bytes)) - 1);
      boolean timeInUsecs = eType == Symbol.TCP_NLA_BUSY.value() || eType == Symbol.TCP_NLA_RWND_LIMITED.value()
          || eType == Symbol.TCP_NLA_SNDBUF_LIMITED.value();
      boolean ok = ev == ignore || ev == av
          || (timeInUsecs && ev != 0 && Math.abs(ev - av) <= in.toleranceMicros());
      if (!ok) {
        throw ScriptFailure.fail(s.pos(), s.name() + ": cmsg " + i + ": " + attributeName(eType)
            + ": expected " + Long.toUnsignedString(ev) + " vs actual " + Long.toUnsignedString(av));
      }
      offset += (eLen + 3) & ~3;
    }
  }

  private static String attributeName(int type) {
    for (Symbol sym : Symbol.values()) {
      if (sym.kind() == Symbol.Kind.TCP_STATS_ATTRIBUTE && sym.value() == type) return sym.name();
    }
    return "TCP_NLA type " + type;
  }

  private static String hex(byte[] b, int from, int length) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < length && from + k < b.length; k++) out.append(String.format("%02x", b[from + k]));
    return out.toString();
  }
}
