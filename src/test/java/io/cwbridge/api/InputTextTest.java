package io.cwbridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputTextTest {

    @Test
    void storableTextEscapesOnlyWhatPostgresqlRefuses() {
        assertThat(InputText.storable("a\u0000b")).isEqualTo("a\\u0000b");
        assertThat(InputText.storable("x\ud800y")).isEqualTo("x\\ud800y");
        assertThat(InputText.storable("ok \ud83d\ude00 \n")).isEqualTo("ok \ud83d\ude00 \n");
        assertThat(InputText.isStorable("plain")).isTrue();
        assertThat(InputText.isStorable("\u0000")).isFalse();
    }

    @Test
    void invalidUtf8IsFoundAndKeptAsHexEscapes() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        InputText.Decoded decoded = InputText.utf8(bytes);
        assertThat(decoded.valid()).isFalse();
        assertThat(decoded.invalidAt()).isEqualTo(6);
        assertThat(decoded.text()).isEqualTo("{\"a\":\"\\xC3(\"}");
        assertThat(InputText.utf8("{\"ä\":\"€\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(new InputText.Decoded("{\"ä\":\"€\"}", -1));
        assertThat(InputText.utf8(null)).isEqualTo(new InputText.Decoded("", -1));
    }

    @Test
    void rules() {
        assertThat(InputText.problem("Chairs Unlimited", false)).isNull();
        assertThat(InputText.problem("a\nb", true)).isNull();
        assertThat(InputText.problem("a\nb", false)).contains("U+000A");
        assertThat(InputText.problem("a\u0085b", true)).contains("U+0085");
        assertThat(InputText.problem("a\u202Db", false)).contains("bidirectional");
        assertThat(InputText.problem("a\uFFFDb", false)).contains("UTF-8");
    }
}
