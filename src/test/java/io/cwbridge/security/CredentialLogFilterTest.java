package io.cwbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class CredentialLogFilterTest {

    private final CredentialLogFilter filter = new CredentialLogFilter();
    private final LoggerContext context = new LoggerContext();

    private FilterReply decide(String logger, String format, Object... params) {
        return filter.decide(null, context.getLogger(logger), Level.DEBUG, format, params, null);
    }

    @Test
    void credentialHeaderLinesAreDroppedWhateverTheirCase() {
        for (String header : new String[] {"Authorization: Basic c2VjcmV0", "authorization: Basic c2VjcmV0", "clientId: 1d6b",
                "CLIENTID: 1d6b", "Proxy-Authorization: Basic eA==", "Cookie: a=b"}) {
            assertThat(decide(CredentialLogFilter.HEADERS_LOGGER, "{} >> {}", "http-outgoing-1", header)).as(header)
                    .isEqualTo(FilterReply.DENY);
        }
    }

    @Test
    void otherHeaderLinesAndAnswersStay() {
        assertThat(decide(CredentialLogFilter.HEADERS_LOGGER, "{} >> {}", "http-outgoing-1", "Accept: application/json"))
                .isEqualTo(FilterReply.NEUTRAL);
        // an answer's header named like a credential is not the bundle's credential
        assertThat(decide(CredentialLogFilter.HEADERS_LOGGER, "{} << {}", "http-outgoing-1", "Authorization-Hint: none"))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(CredentialLogFilter.HEADERS_LOGGER, "{} >> {}", "http-outgoing-1", "X-Authorization-Note: none"))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void sentWireBytesAreDroppedReceivedOnesStay() {
        assertThat(decide(CredentialLogFilter.WIRE_LOGGER, "{} {}", "http-outgoing-1", ">> \"Basic c2VjcmV0[\\r][\\n]\""))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide(CredentialLogFilter.WIRE_LOGGER, "{} {}", "http-outgoing-1", "<< \"HTTP/1.1 200 [\\r][\\n]\""))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void aReceivedLineStaysEvenWhenItsContentHasTheSentArrow() {
        assertThat(decide(CredentialLogFilter.WIRE_LOGGER, "{} {}", "http-outgoing-1", "<< \"{\\\"note\\\":\\\"a >> b\\\"}\""))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(CredentialLogFilter.HEADERS_LOGGER, "{} << {}", "http-outgoing-1", "X-Note: >> Authorization: x"))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void aResetOfTheLoggerContextKeepsTheFilter() {
        // A context of its own: the JVM's one carries Spring Boot's logging for the other tests.
        LoggerContext own = new LoggerContext();
        filter.install(own);
        assertThat(own.getTurboFilterList()).extracting(f -> f.getName()).containsExactly("cwbridge-credential-log-filter");

        own.reset(); // as a configuration reloaded by scan, or through JMX, does

        assertThat(own.getTurboFilterList()).extracting(f -> f.getName()).containsExactly("cwbridge-credential-log-filter");
        assertThat(((LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).getTurboFilterList())
                .extracting(f -> f.getName()).as("the application's context").contains("cwbridge-credential-log-filter");
    }

    @Test
    void otherLoggersAndLevelChecksAreLeftAlone() {
        assertThat(decide("io.cwbridge.sync.SubscriptionSync", "{} >> {}", "x", "Authorization: Basic c2VjcmV0"))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(CredentialLogFilter.HEADERS_LOGGER, null)).as("a level check").isEqualTo(FilterReply.NEUTRAL);
    }
}
