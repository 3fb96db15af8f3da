package io.cwbridge.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** R33: recipients are plain e-mail addresses, never a list, a display name or a header. */
class EmailAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"billing@msp.example", "first.last+digest@mail.msp-co.example", "o'brien@msp.example", "A1@x.io"})
    void plainAddressesAreAccepted(String address) {
        assertThat(EmailAddresses.problem(address)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "billing", "billing@", "@msp.example", "billing@msp", "a b@msp.example",
            "Bob <bob@msp.example>", "a@msp.example, b@msp.example", "a@msp.example\r\nBcc: x@evil.example",
            "a..b@msp.example", ".a@msp.example", "a@-msp.example", "a@msp..example", "a@msp.example."})
    void anythingElseIsRefused(String address) {
        assertThat(EmailAddresses.problem(address)).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void overlongAddressesAreRefused() {
        assertThat(EmailAddresses.problem("a".repeat(65) + "@msp.example")).isNotNull();
        assertThat(EmailAddresses.problem("a@" + "b".repeat(250) + ".example")).isEqualTo("must be at most 254 characters");
    }
}
