package org.tcpspec.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tcpspec.abi.Symbol;
import org.tcpspec.wire.IpAddress;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.conformance.script.Parser;
import org.tcpspec.conformance.script.Script;
import org.tcpspec.wire.InternetChecksum;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

class InterpreterTest {
  static final int L = SystemUnderTest.LOCAL_ADDR;
  static final int R = SystemUnderTest.REMOTE_ADDR;
  static final int ISN = 0x7000_0000;
  static final int RPORT = ScriptSocket.FIRST_REMOTE_PORT;

  private static final String PASSIVE_OPEN = """
      0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
      +0  bind(3, ..., ...) = 0
      +0  listen(3, 1) = 0
      +0  < S 0:0(0) win 1000 <mss 1000,nop,nop,TS val 100 ecr 0>
      +0  > S. 0:0(0) ack 1 <mss 1460,nop,nop,TS val 7 ecr 100>
      +.1 < . 1:1(0) ack 1 win 1000 <nop,nop,TS val 110 ecr 7>
      +0  accept(3, ..., ...) = 4
      """;

  private static Segment out(int seq, int ack, int flags, int len, List<TcpOption> opts) {
    return new Segment(L, R, 8080, RPORT, seq, ack, flags, 500, 0, opts, new byte[len]);
  }

  private static FakeSut passiveSut() {
    FakeSut sut = new FakeSut();
    sut.answer = c -> switch (c) {
      case SocketCall.Socket s -> SysResult.ok(17);
      case SocketCall.Accept a -> SysResult.ok(18);
      case SocketCall.Write w -> SysResult.ok(w.data().length);
      default -> SysResult.ok(0);
    };
    sut.send(0, out(ISN, 1, TcpFlags.SYN | TcpFlags.ACK, 0,
        List.of(new TcpOption.Mss(1460), new TcpOption.Nop(), new TcpOption.Nop(), new TcpOption.Timestamp(5000, 100))));
    return sut;
  }

  private static RunResult run(String text, FakeSut sut) throws Exception {
    Script script = Parser.parse("t.pkt", text);
    RunConfig config = RunConfig.of(script.options(), List.of(), Interpreter.DEFAULT_TOLERANCE_MICROS)
        .config().orElseThrow();
    return new Interpreter(script, sut, config).run();
  }

  /**
   * A packet to inject and a blocking call are handed to the system under test with their time,
   * before the interpreter waits for it, so that a real-time one can prepare them meanwhile
   * (LinuxSut emits the packet, wakes the call thread) and only the write or the call is left to
   * do when the time comes.
   */
  @Test
  void packetsAndBlockingCallsAreHandedOverBeforeTheirTime() throws Exception {
    FakeSut sut = passiveSut();
    sut.returnsAt = c -> c instanceof SocketCall.Read ? 300_000L : -1L;
    RunResult r = run(PASSIVE_OPEN + "+.05...0.2 read(4, ..., 10) = 0\n", sut);
    assertEquals(new Verdict.Pass(), r.verdict());
    assertEquals(List.of(new FakeSut.HandOver(0, 0), new FakeSut.HandOver(0, 100_000)), sut.injectHandOvers);
    assertEquals(List.of(new FakeSut.HandOver(100_000, 150_000)), sut.startHandOvers);
  }

  @Test
  void passiveOpenMapsFdsIsnAndTimestamps() throws Exception {
    FakeSut sut = passiveSut();
    RunResult r = run(PASSIVE_OPEN + "+0 close(4) = 0\n", sut);
    assertEquals(new Verdict.Pass(), r.verdict());
    assertEquals(new SocketCall.Bind(17, new SocketCall.SockAddr(Symbol.AF_INET.value(), IpAddress.ipv4(L), 8080)),
        sut.calls.get(1));
    assertEquals(new SocketCall.Close(18), sut.calls.getLast());
    Segment ack = sut.injected.get(1);
    assertEquals(ISN + 1, ack.ack());
    // The script's TSecr 7 is the system under test's TSval 5000 in script terms.
    assertEquals(new TcpOption.Timestamp(110, 5000), ack.options().get(2));
    assertEquals(100_000, sut.now);
    assertEquals(3, r.packets().size());
  }

  /**
   * As packetdrill's sniff_outbound_live_packet: when the script's next event is an outbound packet,
   * the system under test's packets are read in the order sent, those sent while inbound packets and
   * calls played too, and the first of the socket under test's is the one checked: an ACK the script
   * did not expect fails the next outbound packet.
   */
  @Test
  void anUnexpectedPacketSentWhileInboundPacketsPlayedFailsTheNextOutboundPacket() throws Exception {
    FakeSut sut = passiveSut();
    sut.send(100_000, out(ISN + 1, 1, TcpFlags.ACK, 0, List.of()));
    sut.send(100_000, out(ISN + 1, 11, TcpFlags.ACK, 0, List.of()));
    RunResult r = run(PASSIVE_OPEN + "+0 < . 100001:100011(10) ack 1 win 1000\n"
        + "+0 < . 1:11(10) ack 1 win 1000\n+0 > . 1:1(0) ack 11\n", sut);
    Verdict.Fail f = assertInstanceOf(Verdict.Fail.class, r.verdict());
    assertEquals("t.pkt:10: outbound packet: ack: expected 11 vs actual 1", f.message().lines().findFirst().orElseThrow());
  }

  /** packetdrill checks nothing when the script ends: a packet the script did not expect is not read. */
  @Test
  void aPacketLeftUnreadWhenTheScriptEndsIsNoFailure() throws Exception {
    FakeSut sut = passiveSut();
    sut.send(100_000, out(ISN + 1, 1, TcpFlags.ACK, 0, List.of()));
    RunResult r = run(PASSIVE_OPEN + "+0 < . 100001:100011(10) ack 1 win 1000\n", sut);
    assertEquals(new Verdict.Pass(), r.verdict());
  }

  private static FakeSut twoSocketSut() {
    FakeSut sut = passiveSut();
    int[] sockets = {17};
    sut.answer = c -> switch (c) {
      case SocketCall.Socket s -> SysResult.ok(sockets[0]++ == 17 ? 17 : 19);
      case SocketCall.Accept a -> SysResult.ok(18);
      case SocketCall.Connect k -> SysResult.error(Errno.EINPROGRESS);
      default -> SysResult.ok(0);
    };
    return sut;
  }

  /**
   * packetdrill watches one socket, the one socket() made last (run_syscall_socket): until connect()
   * or a SYN to a listener gives it addresses, no live packet is its, so the FIN of the connection
   * before is passed over and the script's FIN never comes. Before, the runner still took that
   * connection's packets as the socket under test's.
   */
  @Test
  void afterSocketTheEarlierConnectionsPacketsAreNotTheSocketUnderTests() throws Exception {
    FakeSut sut = twoSocketSut();
    sut.send(100_000, out(ISN + 1, 1, TcpFlags.ACK | TcpFlags.FIN, 0, List.of()));
    RunResult r = run(PASSIVE_OPEN + "+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 5\n+0 close(4) = 0\n"
        + "+0 > F. 1:1(0) ack 1\n", sut);
    assertEquals(new Verdict.Fail("t.pkt:10: expected outbound packet > F. 1:1(0) ack 1 at 0.100000 s;"
        + " none arrived"), r.verdict());
  }

  /**
   * After socket(), packetdrill's map_inbound_packet writes the new socket under test's live
   * 4-tuple, all zeros, into an inbound packet: it goes from and to the unspecified address with
   * ports 0, and no connection takes it. Before, it went to the earlier connection.
   */
  @Test
  void afterSocketAnInboundPacketHasNoAddresses() throws Exception {
    FakeSut sut = twoSocketSut();
    RunResult r = run(PASSIVE_OPEN + "+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 5\n+0 < R 1:1(0) win 257\n", sut);
    assertEquals(new Verdict.Pass(), r.verdict());
    Segment rst = sut.injected.getLast();
    assertEquals(List.of(IpAddress.ipv4(0), IpAddress.ipv4(0), 0, 0),
        List.of(rst.srcIp(), rst.dstIp(), rst.srcPort(), rst.dstPort()));
  }

  /** ... and the new socket's SYN after connect() is found past the earlier connection's FIN. */
  @Test
  void afterConnectTheNewSocketsSynIsFoundPastTheEarlierConnectionsPackets() throws Exception {
    FakeSut sut = twoSocketSut();
    sut.send(100_000, out(ISN + 1, 1, TcpFlags.ACK | TcpFlags.FIN, 0, List.of()));
    sut.send(100_000, new Segment(L, R, 40_000, 8080, 5555, 0, TcpFlags.SYN, 500, 0, List.of(), new byte[0]));
    RunResult r = run(PASSIVE_OPEN + "+0 close(4) = 0\n+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 5\n"
        + "+0 connect(5, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n+0 > S 0:0(0) win 500\n", sut);
    assertEquals(new Verdict.Pass(), r.verdict());
  }

  @Test
  void outboundFieldMismatchNamesLineFieldExpectedAndActual() throws Exception {
    FakeSut sut = passiveSut();
    sut.send(100_000, out(ISN + 1, 1, TcpFlags.ACK | TcpFlags.FIN, 0, List.of()));
    RunResult r = run(PASSIVE_OPEN + "+0 close(4) = 0\n+0 > F. 1:1(0) ack 2\n", sut);
    Verdict.Fail f = assertInstanceOf(Verdict.Fail.class, r.verdict());
    assertEquals("t.pkt:9: outbound packet: ack: expected 2 vs actual 1", f.message().lines().findFirst().orElseThrow());
  }

  @Test
  void missingAndEarlyPacketsAreTimingFailures() throws Exception {
    FakeSut sut = passiveSut();
    RunResult r = run(PASSIVE_OPEN + "+0 close(4) = 0\n+0 > F. 1:1(0) ack 1\n", sut);
    assertEquals(new Verdict.Fail("t.pkt:9: expected outbound packet > F. 1:1(0) ack 1 at 0.100000 s;"
        + " none arrived"), r.verdict());
    FakeSut early = passiveSut();
    early.send(100_000, out(ISN + 1, 1, TcpFlags.ACK | TcpFlags.FIN, 0, List.of()));
    RunResult e = run(PASSIVE_OPEN + "+0 close(4) = 0\n+1 > F. 1:1(0) ack 1\n", early);
    assertEquals(new Verdict.Fail("t.pkt:9: outbound packet > F. 1:1(0) ack 1: timing: expected at"
        + " 1.100000 s vs actual 0.100000 s (tolerance 0 us)"), e.verdict());
  }

  @Test
  void consecutiveSegmentsAggregateIntoOneTsoSegment() throws Exception {
    FakeSut sut = passiveSut();
    sut.send(100_000, out(ISN + 1, 1, TcpFlags.ACK, 1000, List.of()));
    sut.send(100_000, out(ISN + 1001, 1, TcpFlags.ACK | TcpFlags.PSH, 1000, List.of()));
    RunResult r = run(PASSIVE_OPEN + "+0 write(4, ..., 2000) = 2000\n+0 > P. 1:2001(2000) ack 1\n", sut);
    assertEquals(new Verdict.Pass(), r.verdict());
  }

  /**
   * Aggregated segments are compared with the last one's header (packet.c, aggregate_packets):
   * a PSH on an earlier one does not count, the first one's CWR does; segments that do not
   * continue each other are named, and --strict_segments takes one segment alone.
   */
  @Test
  void aggregatesCompareTheHeaderPacketdrillCompares() throws Exception {
    String write = PASSIVE_OPEN + "+0 write(4, ..., 2000) = 2000\n";
    FakeSut pushFirst = passiveSut();
    pushFirst.send(100_000, out(ISN + 1, 1, TcpFlags.ACK | TcpFlags.PSH, 1000, List.of()));
    pushFirst.send(100_000, out(ISN + 1001, 1, TcpFlags.ACK, 1000, List.of()));
    assertEquals(new Verdict.Pass(), run(write + "+0 > . 1:2001(2000) ack 1\n", pushFirst).verdict());
    FakeSut cwrFirst = passiveSut();
    cwrFirst.send(100_000, out(ISN + 1, 1, TcpFlags.ACK | TcpFlags.CWR, 1000, List.of()));
    cwrFirst.send(100_000, out(ISN + 1001, 1, TcpFlags.ACK, 1000, List.of()));
    assertEquals(new Verdict.Pass(), run(write + "+0 > W. 1:2001(2000) ack 1\n", cwrFirst).verdict());
    FakeSut otherAck = passiveSut();
    otherAck.send(100_000, out(ISN + 1, 1, TcpFlags.ACK, 1000, List.of()));
    otherAck.send(100_000, out(ISN + 1001, 5, TcpFlags.ACK, 1000, List.of()));
    Verdict.Fail f = assertInstanceOf(Verdict.Fail.class, run(write + "+0 > . 1:2001(2000) ack 1\n", otherAck).verdict());
    assertEquals("t.pkt:9: outbound packet: aggregate candidate: ack: expected 1 vs actual 5",
        f.message().lines().findFirst().orElseThrow());
    FakeSut strict = passiveSut();
    strict.send(100_000, out(ISN + 1, 1, TcpFlags.ACK, 1000, List.of()));
    strict.send(100_000, out(ISN + 1001, 1, TcpFlags.ACK, 1000, List.of()));
    Verdict.Fail s = assertInstanceOf(Verdict.Fail.class,
        run("--strict_segments\n" + write + "+0 > . 1:2001(2000) ack 1\n", strict).verdict());
    assertEquals("t.pkt:10: outbound packet: live packet payload: expected 2000 bytes vs actual 1000 bytes",
        s.message().lines().findFirst().orElseThrow());
  }

  /** After the remote's SYN, its sequence numbers are relative to the SYN's (run_packet.c). */
  @Test
  void remoteSequenceNumbersAfterTheSynAreRelativeToIt() throws Exception {
    FakeSut sut = passiveSut();
    RunResult r = run("""
        0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0  bind(3, ..., ...) = 0
        +0  listen(3, 1) = 0
        +0  < S 999000:999000(0) win 1000 <mss 1000,nop,nop,TS val 100 ecr 0>
        +0  > S. 0:0(0) ack 1 <mss 1460,nop,nop,TS val 7 ecr 100>
        +.1 < . 1:1(0) ack 1 win 1000 <nop,nop,TS val 110 ecr 7>
        """, sut);
    assertEquals(new Verdict.Pass(), r.verdict());
    assertEquals(999000, sut.injected.get(0).seq());
    assertEquals(999001, sut.injected.get(1).seq());
  }

  @Test
  void syscallResultAndErrnoMismatches() throws Exception {
    FakeSut sut = new FakeSut();
    sut.answer = c -> c instanceof SocketCall.Connect ? SysResult.error(Errno.ECONNREFUSED) : SysResult.ok(3);
    RunResult r = run("""
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
        """, sut);
    assertEquals(new Verdict.Fail("t.pkt:2: connect: expected -1 EINPROGRESS vs actual -1 ECONNREFUSED"),
        r.verdict());
  }

  @Test
  void aScriptThatAsksForAToleranceIsJudgedWithItOnVirtualTime() throws Exception {
    String closeAndLateFin = PASSIVE_OPEN + "+0 close(4) = 0\n+.001 > F. 1:1(0) ack 1\n";
    FakeSut exact = passiveSut();
    exact.send(100_000, out(ISN + 1, 1, TcpFlags.ACK | TcpFlags.FIN, 0, List.of()));
    assertInstanceOf(Verdict.Fail.class, run(closeAndLateFin, exact).verdict());
    FakeSut tolerant = passiveSut();
    tolerant.send(100_000, out(ISN + 1, 1, TcpFlags.ACK | TcpFlags.FIN, 0, List.of()));
    assertEquals(new Verdict.Pass(), run("--tolerance_usecs=4000\n" + closeAndLateFin, tolerant).verdict());
  }

  @Test
  void blockingCallsReturnAtTheirEndTime() throws Exception {
    FakeSut sut = passiveSut();
    sut.returnsAt = c -> c instanceof SocketCall.Read ? 300_000L : -1L;
    RunResult ok = run(PASSIVE_OPEN + "+0...0.2 read(4, ..., 10) = 0\n+0.3 close(4) = 0\n", sut);
    assertEquals(new Verdict.Pass(), ok.verdict());
    FakeSut late = passiveSut();
    late.returnsAt = c -> c instanceof SocketCall.Read ? 900_000L : -1L;
    RunResult r = run(PASSIVE_OPEN + "+0...0.2 read(4, ..., 10) = 0\n+0.3 close(4) = 0\n", late);
    assertEquals(new Verdict.Fail("t.pkt:8: read: timing: expected to return at 0.300000 s vs actual"
        + " 0.900000 s (tolerance 0 us)"), r.verdict());
    FakeSut blocked = passiveSut();
    blocked.returnsAt = c -> c instanceof SocketCall.Read ? 900_000L : -1L;
    RunResult b = run(PASSIVE_OPEN + "+0 read(4, ..., 10) = 0\n", blocked);
    assertInstanceOf(Verdict.Fail.class, b.verdict());
  }

  @Test
  void unsupportedSystemCall() throws Exception {
    RunResult u = run("0 cap_set(CAP_EFFECTIVE, CAP_NET_ADMIN, CAP_SET) = 0\n", new FakeSut());
    assertEquals(new Verdict.Unsupported(List.of("system call cap_set (process capabilities through libcap)")), u.verdict());
  }

  /**
   * %{ }% blocks run in python3 at the end, each with the socket under test's tcp_info of its
   * own time and packetdrill's constants; a failing one is named as packetdrill's preamble names
   * it.
   */
  @Test
  void codeBlocksRunInPythonWithTheTcpInfoOfTheirTime() throws Exception {
    assumeTrue(PythonCode.whyUnavailable().isEmpty(), "python3 not installed");
    String socket = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
    FakeSut info = new FakeSut();
    info.answer = c -> SysResult.ok(3);
    info.tcpInfo = Map.of(TcpInfo.Field.STATE, 1L, TcpInfo.Field.CA_STATE, 0L, TcpInfo.Field.SND_CWND, 10L);
    assertEquals(new Verdict.Pass(), run(socket + """
        +0 %{ assert tcpi_state == TCP_ESTABLISHED
        assert tcpi_ca_state == TCP_CA_Open, 'x' }%
        +0 %{
        import math
        x = [tcpi_snd_cwnd * i for i in range(3)]
        assert x[2] == 20 and math.isclose(tcpi_rtt, 0), x
        print("cwnd", tcpi_snd_cwnd)
        }%
        """, info).verdict());
    Verdict.Fail f = assertInstanceOf(Verdict.Fail.class,
        run(socket + "+0 %{ assert tcpi_state == 10, tcpi_state }%\n", info).verdict());
    List<String> lines = f.message().lines().toList();
    assertEquals("t.pkt:2: error in Python code", lines.getFirst());
    assertEquals("AssertionError: 1", lines.get(lines.size() - 2));
    assertEquals("t.pkt: error executing code: 'python3' returned non-zero status 1", lines.getLast());
  }

  @Test
  void aCodeBlockBeforeAnySocketHasNoTcpInfo() throws Exception {
    assumeTrue(PythonCode.whyUnavailable().isEmpty(), "python3 not installed");
    assertEquals(new Verdict.Error("t.pkt:1: runtime error in code: can't find getsockopt to get TCP info"),
        run("0 %{ assert tcpi_state == 1 }%\n", new FakeSut()).verdict());
  }

  @Test
  void shellLinesRunAndTheirFailureIsAnError() throws Exception {
    FakeSut sut = new FakeSut();
    assertEquals(new Verdict.Pass(), run("`sysctl -q x=1`\n0 `true`\n", sut).verdict());
    assertEquals(List.of("sysctl -q x=1", "true"), sut.shellLines);
    assertEquals(new Verdict.Error("t.pkt:1: command `false` exited with status 1"),
        run("0 `false`\n", new FakeSut()).verdict());
  }

  @Test
  void inboundIcmpQuotesTheSocketsLiveAddressesPortsAndSequence() throws Exception {
    FakeSut sut = passiveSut();
    RunResult r = run(PASSIVE_OPEN + "+0 < icmp unreachable frag_needed mtu 1200 [1:1001(1000)]\n", sut);
    assertEquals(new Verdict.Pass(), r.verdict());
    ByteBuffer b = ByteBuffer.wrap(sut.injectedIcmp.getFirst());
    assertEquals(20 + 8 + 20 + 8, b.capacity(), "IPv4, ICMP, the quoted IPv4 header and 8 bytes of TCP");
    assertEquals(0, InternetChecksum.compute(b.array(), 0, 20), "outer header checksum");
    assertEquals(0, InternetChecksum.compute(b.array(), 20, 36), "ICMP checksum");
    assertEquals(List.of(255, 1, R, L), List.of(b.get(8) & 0xFF, (int) b.get(9), b.getInt(12), b.getInt(16)));
    assertEquals(List.of(3, 4, 1200), List.of((int) b.get(20), (int) b.get(21), (int) b.getShort(26)));
    assertEquals(List.of(40 + 1000, 6, L, R), List.of((int) b.getShort(30), (int) b.get(37), b.getInt(40), b.getInt(44)),
        "the quoted packet went from the system under test to the remote side");
    assertEquals(List.of(8080, RPORT, ISN + 1), List.of((int) b.getShort(48), b.getShort(50) & 0xFFFF, b.getInt(52)),
        "ports and the live sequence number of script sequence 1");
  }

  @Test
  void inboundIpFieldsAreSetAndOutboundOnesChecked() throws Exception {
    FakeSut sut = passiveSut();
    RunResult r = run(PASSIVE_OPEN + "+0 < [ce] P. 1:11(10) ack 1 win 1000\n", sut);
    assertEquals(new Verdict.Pass(), r.verdict());
    assertEquals(new Ipv4Params(3, 0, false, 255), sut.injectedIp.getLast(), "CE, TTL 255, no DF");
    FakeSut marked = new FakeSut();
    marked.outbound.add(new FakeSut.Scheduled(0, out(ISN, 1, TcpFlags.SYN, 0, List.of())));
    Verdict v = run("0 > [ect0] S 0:0(0)\n", marked).verdict();
    assertEquals("t.pkt:1: outbound packet: ip_ecn: expected 2 vs actual 0", ((Verdict.Fail) v).message().lines().findFirst().orElseThrow());
  }

  private static final String ERRQUEUE_READ = """
      0 recvmsg(3, {msg_name(...)=..., msg_iov(1)=[{..., 0}], msg_flags=MSG_ERRQUEUE,
                    msg_control=[{cmsg_level=SOL_IP, cmsg_type=IP_RECVERR,
                                  cmsg_data={ee_errno=0, ee_origin=SO_EE_ORIGIN_ZEROCOPY, ee_type=0,
                                             ee_code=SO_EE_CODE_ZEROCOPY_COPIED, ee_info=0, ee_data=1}}]},
                    MSG_ERRQUEUE) = 0
      """;

  @Test
  void recvmsgGetsTheScriptsControlMessagesAsItsBufferAndComparesWhatComesBack() throws Exception {
    List<SocketCall.RecvMsg> calls = new ArrayList<>();
    FakeSut echo = new FakeSut();
    echo.answer = c -> {
      SocketCall.RecvMsg m = (SocketCall.RecvMsg) c;
      calls.add(m);
      return SysResult.ok(0, new CallOutput.Message(m.msgFlags(), m.control()));
    };
    assertEquals(new Verdict.Pass(), run(ERRQUEUE_READ, echo).verdict());
    ByteBuffer control = ByteBuffer.wrap(calls.getFirst().control()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(48, control.capacity(), "CMSG_SPACE of a sock_extended_err and a sockaddr_in");
    assertEquals(List.of(48L, 0L, 11L, 5L, 1L), List.of(control.getLong(0), (long) control.getInt(8),
        (long) control.getInt(12), (long) control.get(20), (long) control.getInt(28)),
        "cmsg_len, SOL_IP, IP_RECVERR, ee_origin, ee_data");

    FakeSut wrongCode = new FakeSut();
    wrongCode.answer = c -> {
      byte[] b = ((SocketCall.RecvMsg) c).control();
      b[16 + 6] = 0;
      return SysResult.ok(0, new CallOutput.Message(((SocketCall.RecvMsg) c).msgFlags(), b));
    };
    assertEquals(new Verdict.Fail("t.pkt:1: recvmsg: cmsg 0: ee_code: expected 1 vs actual 0"), run(ERRQUEUE_READ, wrongCode).verdict());

    FakeSut noFlag = new FakeSut();
    noFlag.answer = c -> SysResult.ok(0, new CallOutput.Message(0, ((SocketCall.RecvMsg) c).control()));
    assertEquals(new Verdict.Fail("t.pkt:1: recvmsg: msg_flags: expected 0x2000 vs actual 0x0"), run(ERRQUEUE_READ, noFlag).verdict());

    FakeSut none = new FakeSut();
    none.answer = c -> SysResult.ok(0, new CallOutput.Message(((SocketCall.RecvMsg) c).msgFlags(), new byte[0]));
    assertEquals(new Verdict.Fail("t.pkt:1: recvmsg: received only 0 cmsgs"), run(ERRQUEUE_READ, none).verdict());
  }
}
