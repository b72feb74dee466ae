package org.tcpspec.conformance.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.script.TcpPacket.Direction;
import org.tcpspec.conformance.script.TcpPacket.OptionsSpec;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

class ParserTest {

  private static Script parse(String text) throws ScriptException {
    return Parser.parse("t.pkt", text);
  }

  private static String error(String text) {
    return assertThrows(ScriptException.class, () -> parse(text)).getMessage();
  }

  @Test
  void wholeGrammarScriptParsesEveryEvent() throws Exception {
    Script s = Parser.parse(Path.of("src/test/resources/grammar/whole-grammar.pkt"));
    assertEquals(List.of(), s.unsupported());
    assertEquals(Optional.of("10000"), s.option("tolerance_usecs"));
    assertEquals("sysctl -q net.ipv4.tcp_timestamps=1", s.initCommand().orElseThrow().commandLine());
    assertEquals("echo cleanup", s.cleanupCommand().orElseThrow().commandLine());
    assertEquals(28, s.events().size());
    assertEquals(9, s.events().getFirst().pos().line());
    assertInstanceOf(CodeBlock.class, s.events().get(25).action());
    assertInstanceOf(ShellCommand.class, s.events().get(26).action());
    ScriptEvent close = s.events().getLast();
    assertEquals(new EventTime.Absolute(1_000_000), close.time());
    assertEquals(36, close.pos().line());
  }

  @Test
  void inboundSynWithOptions() throws Exception {
    Script s = parse("+0 < S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>\n");
    ScriptEvent e = s.events().getFirst();
    assertEquals(new EventTime.Relative(0), e.time());
    TcpPacket p = (TcpPacket) e.action();
    assertEquals(Direction.INBOUND, p.direction());
    assertEquals(TcpFlags.SYN, p.flags());
    assertEquals(OptionalInt.of(32792), p.window());
    assertEquals(OptionalLong.empty(), p.ack());
    assertEquals(
        new OptionsSpec.Listed(List.of(new TcpOption.Mss(1000), new TcpOption.SackPermitted(),
            new TcpOption.Timestamp(100, 0), new TcpOption.Nop(), new TcpOption.WindowScale(7))),
        p.options());
    assertEquals(new Pos("t.pkt", 1, 4), p.pos());
  }

  @Test
  void flagsAndRanges() throws Exception {
    Script s = parse("""
        0.100 > F. 1:1(0) ack 1
        0.1~0.25 > . 1:1(0) ack 2 <...>
        +0~+0.5 > R 2:2(0)
        * > P. 1:11(10) ack 2
        """);
    TcpPacket fin = (TcpPacket) s.events().get(0).action();
    assertEquals(TcpFlags.FIN | TcpFlags.ACK, fin.flags());
    assertEquals(new EventTime.Absolute(100_000), s.events().get(0).time());
    assertEquals(new EventTime.AbsoluteRange(100_000, 250_000), s.events().get(1).time());
    assertInstanceOf(OptionsSpec.Any.class, ((TcpPacket) s.events().get(1).action()).options());
    assertEquals(new EventTime.RelativeRange(0, 500_000), s.events().get(2).time());
    assertEquals(new EventTime.AnyTime(), s.events().get(3).time());
    TcpPacket data = (TcpPacket) s.events().get(3).action();
    assertEquals(10, data.payloadLength());
    assertEquals(TcpFlags.PSH | TcpFlags.ACK, data.flags());
  }

  @Test
  void syscallWithErrnoAndBlockingEnd() throws Exception {
    Script s = parse("""
        +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
        +0...0.200 accept(3, ..., ...) = 4
        """);
    Syscall c = (Syscall) s.events().get(0).action();
    assertEquals("connect", c.name());
    assertEquals(new Expr.Int(new Pos("t.pkt", 1, 27), -1), c.result());
    assertEquals(
        Optional.of(new Syscall.ErrnoSpec("EINPROGRESS", "Operation now in progress")), c.errno());
    Syscall a = (Syscall) s.events().get(1).action();
    assertEquals(OptionalLong.of(200_000), a.endMicros());
  }

  @Test
  void structsArraysAndOr() throws Exception {
    Script s = parse(
        "+0 poll([{fd=4, events=POLLIN|POLLOUT, revents=POLLOUT}], 1, 0) = 1\n");
    Syscall p = (Syscall) s.events().getFirst().action();
    Expr.Array arr = (Expr.Array) p.args().getFirst();
    Expr.Struct st = (Expr.Struct) arr.items().getFirst();
    Expr.Assign events = (Expr.Assign) st.items().get(1);
    assertInstanceOf(Expr.Or.class, events.value());
  }

  @Test
  void unsupportedConstructsAreListedNotFatal() throws Exception {
    Script s = Parser.parse(Path.of("src/test/resources/grammar/unsupported.pkt"));
    List<String> features = s.unsupported().stream().map(Unsupported::feature).toList();
    assertEquals(List.of("UDP packets", "outbound ICMP packets", "encapsulated packets (ipv4)"), features);
    assertEquals(List.of(new ScriptOption(new Pos(s.file(), 1, 1), "ip_version", Optional.of("ipv6"))),
        s.options());
    assertEquals(2, s.events().size());
    assertEquals(6, s.events().get(1).pos().line());
  }

  @Test
  void accEcnFlagsAeLetterAndAceCounts() throws Exception {
    Script s = parse("""
        +0 < SEWA 0:0(0) win 1
        +0 > S.1 0:0(0) ack 1
        +0 > .5 1:1(0) ack 1
        +0 > P.7 1:2(1) ack 1
        +0 < S.0 0:0(0) ack 1 win 1
        +0 > SA 0:0(0)
        """);
    int ecn = TcpFlags.ECE | TcpFlags.CWR;
    List<TcpPacket> p = s.events().stream().map(e -> (TcpPacket) e.action()).toList();
    assertEquals(TcpFlags.SYN | ecn | TcpFlags.AE, p.get(0).flags());
    assertEquals(false, p.get(0).aceCount());
    assertEquals(TcpFlags.SYN | TcpFlags.ACK | TcpFlags.ECE, p.get(1).flags());
    assertEquals(true, p.get(1).aceCount());
    assertEquals(TcpFlags.ACK | TcpFlags.ECE | TcpFlags.AE, p.get(2).flags());
    assertEquals(TcpFlags.PSH | TcpFlags.ACK | ecn | TcpFlags.AE, p.get(3).flags());
    assertEquals(TcpFlags.SYN | TcpFlags.ACK, p.get(4).flags(), "a count of 0 sets no ECN bit");
    assertEquals(false, p.get(4).aceCount(), "and is no count (tcp_flag_ace_count)");
    assertEquals(TcpFlags.SYN | TcpFlags.AE, p.get(5).flags());
    assertEquals(List.of("SEWA", "S.1", ".5", "P.7", "S.", "SA"),
        p.stream().map(TcpPacket::showFlags).toList(), "printed as packet_to_string.c prints them");
  }

  @Test
  void aceCountsConflictWithEcnLettersAndEachOther() {
    assertEquals("t.pkt:1:9: conflicting TCP flag '5': an ACE count goes with no other ACE count and none of E W A",
        error("+0 < S.15 0:0(0) win 1\n"));
    assertEquals("t.pkt:1:8: conflicting TCP flag '3': an ACE count goes with no other ACE count and none of E W A",
        error("+0 < E.3 0:0(0) win 1\n"));
    assertEquals("t.pkt:1:10: conflicting TCP flag '2': an ACE count goes with no other ACE count and none of E W A",
        error("+0 < SEW.2 0:0(0) win 1\n"));
    assertEquals("t.pkt:1:8: unknown TCP flag '8': expected one of F S R P U E W A . or an ACE count 0-7",
        error("+0 < S.8 0:0(0) win 1\n"));
  }

  @Test
  void accEcnOptionHasItsKindFieldOrderAndTwentyFourBitFields() throws Exception {
    Script s = parse("""
        +0 > S. 0:0(0) ack 1 <ECN e1b 1 ceb 0 e0b 16777215,nop>
        +0 > . 1:1(0) ack 1 <ECN e0b 258,nop,nop,nop>
        +0 > . 1:1(0) ack 1 <ECN e0b 1 ceb 2>
        """);
    List<List<TcpOption>> options = s.events().stream()
        .map(e -> ((OptionsSpec.Listed) ((TcpPacket) e.action()).options()).options()).toList();
    assertEquals(new TcpOption.Unknown(174, new byte[] {0, 0, 1, 0, 0, 0, -1, -1, -1}), options.get(0).get(0));
    assertEquals(new TcpOption.Unknown(172, new byte[] {0, 1, 2}), options.get(1).get(0));
    assertEquals(new TcpOption.Unknown(172, new byte[] {0, 0, 1, 0, 0, 2}), options.get(2).get(0));
    assertTrue(error("+0 > S. 0:0(0) ack 1 <ECN e0b 16777216>\n").startsWith(
        "t.pkt:1:31: TCP AccECN field value out of range 0..16777215"));
    assertEquals("t.pkt:1:27: expected e0b or e1b after ECN, found 'ceb'", error("+0 > S. 0:0(0) ack 1 <ECN ceb 1>\n"));
  }

  @Test
  void errorsNameFileLineColumnAndWhatWasExpected() {
    assertEquals("t.pkt:2:4: expected a packet ('<' or '>'), a system call, a `shell command`"
            + " or a %{ }% block, found ';'",
        error("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 ; close(3) = 0\n"));
    assertEquals("t.pkt:1:1: expected an event time (such as 0.100, +0.1, * or 0.1~0.2), found 'close'",
        error("close(3) = 0\n"));
    assertEquals("t.pkt:1:9: expected ':', found '('", error("+0 < S 0(0) win 1\n"));
    assertEquals("t.pkt:1:8: inconsistent TCP sequence numbers and payload size",
        error("+0 < . 1:5(3) ack 1\n"));
    assertEquals("t.pkt:1:7: unknown TCP flag 'X': expected one of F S R P U E W A . or an ACE count 0-7",
        error("+0 < SX 0:0(0)\n"));
    assertEquals("t.pkt:1:1: event time * can only be used with outbound packets",
        error("* < S 0:0(0) win 1\n"));
    assertEquals("t.pkt:1:4: time range is backwards", error("0.2~0.1 > S 0:0(0)\n"));
    assertEquals("t.pkt:1:22: <...> for TCP options can only be used with outbound packets",
        error("+0 < S 0:0(0) win 10 <...>\n"));
    assertEquals("t.pkt:1:29: expected a TCP option (nop, eol, mss, wscale, sackOK, sack, TS, md5, FO, FOEXP, ECN), found 'foo'",
        error("+0 > S 0:0(0) <mss 1460,nop,foo>\n"));
    assertEquals("t.pkt:1:29: expected an expression, found ')'", error("+0 socket(..., SOCK_STREAM, ) = 3\n"));
    assertEquals("t.pkt:1:4: unterminated shell command: expected closing `", error("+0 `echo\n"));
    assertTrue(error("+0 < S 0:0(0) win 70000\n").startsWith("t.pkt:1:19: TCP window value out of range"));
  }

  @Test
  void scriptsInOtherPeoplesStylesParseWithoutUnsupportedConstructs() throws Exception {
    for (String f : List.of("freebsd-style.pkt", "gtests-style.pkt")) {
      Script s = Parser.parse(Path.of("src/test/resources/grammar", f));
      assertEquals(List.of(), s.unsupported(), f);
      assertTrue(s.events().size() >= 15, f + ": " + s.events().size());
    }
  }

  @Test
  void ipv6AddressesInOptionsAreOneToken() throws Exception {
    List<Token> t = Lexer.tokenize("t.pkt", "--remote_ip=2001:db8::1\n+0 < . 1:1001(1000) ack 1 win 9 <nop,nop,sack 1:2 3:4>\n");
    assertEquals(new Token(Token.Kind.IPV6_ADDR, "2001:db8::1", new Pos("t.pkt", 1, 13)), t.get(2));
    Script s = parse("--local_ip=fd3d:fa7b:d17d::0\n0 < . 1:1001(1000) ack 1 win 9 <nop,nop,sack 1:2 3:4>\n");
    assertEquals(Optional.of("fd3d:fa7b:d17d::0"), s.option("local_ip"));
    TcpPacket p = (TcpPacket) s.events().getFirst().action();
    assertEquals(1000, p.payloadLength());
  }

  /**
   * -D NAME=VALUE and --define=NAME=VALUE replace words after the header as packetdrill's lexer
   * does: a quoted value is a string, a back-quoted one a command, a number an integer (C's
   * strtol base 0), anything else a word; the command line wins over the script.
   */
  @Test
  void definitionsReplaceWordsAfterTheHeader() throws Exception {
    Script s = Parser.parse("t.pkt", """
        --define=LEVEL=SOL_TCP
        --define=CC="reno"
        --define=N=SO_RCVBUF
        0 setsockopt(3, LEVEL, TCP_CONGESTION, CC, N) = COUNT
        +0 setsockopt(3, SOL_SOCKET, SO_RCVBUF, [HEX], 4) = OCT
        """, java.util.Map.of("N", "4", "COUNT", "-1", "HEX", "0x10", "OCT", "010"));
    Syscall first = (Syscall) s.events().getFirst().action();
    assertEquals(new Expr.Word(new Pos("t.pkt", 4, 17), "SOL_TCP"), first.args().get(1));
    assertEquals(new Expr.Str(new Pos("t.pkt", 4, 40), "reno", false), first.args().get(3));
    assertEquals(new Expr.Int(new Pos("t.pkt", 4, 44), 4), first.args().get(4));
    assertEquals(new Expr.Int(new Pos("t.pkt", 4, 49), -1), first.result());
    Syscall second = (Syscall) s.events().get(1).action();
    assertEquals(new Expr.Array(new Pos("t.pkt", 5, 41), List.of(new Expr.Int(new Pos("t.pkt", 5, 42), 16))),
        second.args().get(3));
    assertEquals(new Expr.Int(new Pos("t.pkt", 5, 53), 8), second.result());
    assertEquals(Optional.of("CC=\"reno\""), s.options().get(1).value());
  }

  @Test
  void ipHeaderFieldsParseAsPacketdrillsIpInfo() throws Exception {
    Script s = parse("""
        0 < [ect0] S 0:0(0) win 1
        +0 > (tos 0x1c) S. 0:0(0) ack 1
        +0 > [ttl 64] . 1:1(0) ack 1
        +0 > [ect01] . 1:1(0) ack 1
        +0 > (ce, flowlabel 0x12345) . 1:1(0) ack 1
        """);
    List<IpFields> ip = s.events().stream().map(e -> ((TcpPacket) e.action()).ip()).toList();
    assertEquals(List.of(new IpFields(IpFields.TosCheck.ECN, IpFields.ECN_ECT0, 0, 0),
        new IpFields(IpFields.TosCheck.TOS, 0x1c, 0, 0), new IpFields(IpFields.TosCheck.NONE, 0, 0, 64),
        new IpFields(IpFields.TosCheck.ECT01, 0, 0, 0), new IpFields(IpFields.TosCheck.ECN, IpFields.ECN_CE, 0x12345, 0)), ip);
    assertEquals("t.pkt:1:3: [ect01] can only be used with outbound packets", error("0 < [ect01] S 0:0(0) win 1\n"));
    assertEquals("t.pkt:1:10: tos out of range for 8 bits", error("0 > (tos 0x100) S 0:0(0)\n"));
  }

  @Test
  void icmpTypesAndCodesResolveByPacketdrillsNames() throws Exception {
    Script s = parse("""
        0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]
        +0 < icmp time_exceeded code_1
        +0 < icmp type_99 [udp (40)]
        """);
    IcmpPacket frag = (IcmpPacket) s.events().get(0).action();
    assertEquals(3, frag.type());
    assertEquals(4, frag.code());
    assertEquals(OptionalInt.of(1200), frag.mtu());
    assertEquals(new IcmpPacket.Quoted.Tcp(1, 1460), frag.quoted());
    IcmpPacket exceeded = (IcmpPacket) s.events().get(1).action();
    assertEquals(List.of(11, 1), List.of(exceeded.type(), exceeded.code()));
    assertEquals(new IcmpPacket.Quoted.Tcp(0, 0), exceeded.quoted(), "nothing quoted: a TCP header at 0");
    assertEquals(new IcmpPacket.Quoted.Udp(40), ((IcmpPacket) s.events().get(2).action()).quoted());
    assertEquals("t.pkt:1:24: bad ICMP code ttl_exceeded_in_transit",
        error("0 < icmp time_exceeded ttl_exceeded_in_transit\n"));
    assertEquals("t.pkt:1:38: ICMPv4 MTU is only valid for unreachable-frag_needed",
        error("0 < icmp unreachable net_unreachable mtu 1000\n"));
  }

  /**
   * ICMP names are ICMPv6's under --ip_version=ipv6, and the command line's version wins over the
   * script's, as packetdrill's grammar reads the finished configuration (run_all.py's ipv6 run).
   */
  /** Thrown by the header checks below, as RunConfig's BadOption would be. */
  private static final class RejectedHeader extends Exception {
    RejectedHeader(String message) {
      super(message);
    }
  }

  @Test
  void theHeaderIsCheckedBeforeAnyEventIsParsed(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("h.pkt");
    Files.writeString(p, """
        --mtu=1400
        --no_such_flag=yes

        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 < S 0:0(0) win 1000 <mss 1000>~
        """);
    // parser.y's opt_options calls parse_and_finalize_config before the events are read, so a
    // bad option wins over the syntax error on line 5.
    RejectedHeader e = assertThrows(RejectedHeader.class, () -> Parser.parse(p, Map.of(),
        Optional.empty(), options -> {
          throw new RejectedHeader(options.getLast().pos().fileLine() + ": " + options.getLast().name());
        }));
    assertEquals(p + ":2: no_such_flag", e.getMessage());
    // A check that accepts the header sees every option, and the event's error still names its line.
    List<String> seen = new java.util.ArrayList<>();
    ScriptException syntax = assertThrows(ScriptException.class, () -> Parser.parse(p, Map.of(),
        Optional.empty(), options -> options.forEach(o -> seen.add(o.name()))));
    assertEquals(List.of("mtu", "no_such_flag"), seen);
    assertEquals(5, syntax.pos().line());
  }

  @Test
  void icmpNamesFollowTheCommandLinesIpVersion(@TempDir Path dir)
      throws Exception {
    Path p = dir.resolve("t.pkt");
    Files.writeString(p, "--ip_version=ipv4\n0 < icmp packet_too_big mtu 1280\n+0 < icmp unreachable port_unreachable\n");
    Script s = Parser.parse(p, Map.of(), Optional.of("ipv6"));
    IcmpPacket tooBig = (IcmpPacket) s.events().get(0).action();
    assertEquals(List.of(2, 0), List.of(tooBig.type(), tooBig.code()));
    assertEquals(OptionalInt.of(1280), tooBig.mtu());
    IcmpPacket port = (IcmpPacket) s.events().get(1).action();
    assertEquals(List.of(1, 4), List.of(port.type(), port.code()), "ICMPv6 port unreachable is code 4");
    ScriptException e = assertThrows(ScriptException.class, () -> Parser.parse(p, Map.of(), Optional.empty()));
    assertTrue(e.getMessage().contains("bad ICMP type packet_too_big"), e.getMessage());
  }

  @Test
  void fastOpenAndMd5OptionsAreTheirBytes() throws Exception {
    TcpPacket p = (TcpPacket) parse(
        "0 < S 0:0(0) win 1 <FO 0a0b0c0d,nop,nop,FOEXP,md5 00112233445566778899aabbccddeeff,nop,nop,FO,nop,nop>\n")
        .events().getFirst().action();
    List<TcpOption> o = ((OptionsSpec.Listed) p.options()).options();
    assertEquals(new TcpOption.Unknown(34, new byte[] {10, 11, 12, 13}), o.get(0));
    assertEquals(new TcpOption.Unknown(254, new byte[] {(byte) 0xF9, (byte) 0x89}), o.get(3));
    assertEquals(18, o.get(4).wireLength());
    assertEquals(new TcpOption.Unknown(34, new byte[0]), o.get(7), "an empty FO asks for a cookie");
    assertEquals("t.pkt:1:24: TCP fast open cookie has an odd number of digits", error("0 < S 0:0(0) win 1 <FO abc,nop>\n"));
    assertEquals("t.pkt:1:24: TCP fast open cookie 'TFO_COOKIE' is not a valid hex string",
        error("0 < S 0:0(0) win 1 <FO TFO_COOKIE,nop,nop>\n"));
    assertEquals("t.pkt:1:25: TCP MD5 digest is not a valid hex string", error("0 < S 0:0(0) win 1 <md5 valid>\n"));
  }

  @Test
  void packetdrillsPacketRulesAreParseErrors() {
    assertEquals("t.pkt:1:3: window must be specified for inbound packets", error("0 < S 0:0(0)\n"));
    assertEquals("t.pkt:1:20: TCP options are not padded correctly to ensure TCP header is a multiple"
        + " of 4 bytes: 2 excess bytes", error("0 < S 0:0(0) win 1 <mss 1000,TS val 1 ecr 0>\n"));
  }

  @Test
  void anErrnoMayFollowOnTheLineAfterAMultiLineCall() throws Exception {
    Syscall s = (Syscall) parse("""
        0 recvmsg(3, {msg_name(...)=...,
                      msg_iov(1)=[{...,0}],
                      msg_flags=MSG_ERRQUEUE,
                      msg_control=[]}, MSG_ERRQUEUE) = -1 EAGAIN (Resource temporarily unavailable)
        +0 read(3, ..., 1)
           = -1 EAGAIN (Resource temporarily unavailable)
        """).events().getFirst().action();
    assertEquals(Optional.of(new Syscall.ErrnoSpec("EAGAIN", "Resource temporarily unavailable")), s.errno());
  }

  @Test
  void stringsAndShellLinesKeepTheirEscapes() throws Exception {
    Script s = parse("0 `echo a \\\n b`\n+0 setsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY, \"\\x01\\\"\", 2) = 0\n");
    assertEquals("echo a \\\n b", ((ShellCommand) s.events().get(0).action()).commandLine());
    Expr.Str key = (Expr.Str) ((Syscall) s.events().get(1).action()).args().get(3);
    assertEquals("\\x01\\\"", key.value());
  }
}
