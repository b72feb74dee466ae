package org.tcpspec.conformance.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tcpspec.wire.TcpOption;

class OptionNotationTest {

  /** The options of {@code 0 > S 0:0(0) <OPTIONS>} as the parser reads them (padded to 4 bytes). */
  private static List<TcpOption> parsed(String options) throws ScriptException {
    Script s = Parser.parse("t.pkt", "0 > S 0:0(0) <" + options + ">\n");
    return ((TcpPacket.OptionsSpec.Listed) ((TcpPacket) s.events().getFirst().action()).options()).options();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8",
      "nop,nop,sack 1:1001 2001:3001",
      "FO 1234abcd5678dcba,nop,nop",
      "FO,nop,nop",
      "FOEXP abcd,nop,nop",
      "nop,nop,md5 00112233445566778899aabbccddeeff",
      "nop,nop,nop,eol"})
  void printsWhatTheParserRead(String options) throws ScriptException {
    assertEquals("<" + options + ">", OptionNotation.show(parsed(options)));
  }

  @Test
  void anOptionWithoutScriptNotationIsNamedByKindAndLength() {
    List<TcpOption> options = List.of(new TcpOption.Mss(536), new TcpOption.Unknown(99, new byte[2]));
    assertEquals("<mss 536,kind 99 len 4>", OptionNotation.show(options));
    assertEquals(Optional.empty(), OptionNotation.showInScript(options));
    assertEquals(Optional.of("<mss 536>"), OptionNotation.showInScript(List.of(new TcpOption.Mss(536))));
  }

  @Test
  void namesTheOptionAlone() throws ScriptException {
    assertEquals(List.of("mss", "sackOK", "TS", "FO", "nop", "nop"),
        parsed("mss 1460,sackOK,TS val 1 ecr 0,FO,nop,nop").stream().map(OptionNotation::name).toList());
  }
}
