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

    /** A line of HttpClient's header logger, as it logs one: {@code "{} >> {}"} (sent) or {@code "{} << {}"}. */
    private FilterReply header(String arrow, String header) {
        return decide(CredentialLogFilter.HEADERS_LOGGER, "{} " + arrow + " {}", "http-outgoing-1", header);
    }

    /** A line of HttpClient's wire logger: the connection, then {@code >> "bytes"} (sent) or {@code << "bytes"}. */
    private FilterReply wire(String directionAndBytes) {
        return decide(CredentialLogFilter.WIRE_LOGGER, "{} {}", "http-outgoing-1", directionAndBytes);
    }

    @Test
    void credentialHeaderLinesAreDroppedWhateverTheirCase() {
        for (String h : new String[] {"Authorization: Basic c2VjcmV0", "authorization: Basic c2VjcmV0", "clientId: 1d6b",
                "CLIENTID: 1d6b", "Proxy-Authorization: Basic eA==", "Cookie: a=b"}) {
            assertThat(header(">>", h)).as(h).isEqualTo(FilterReply.DENY);
        }
    }

    @Test
    void otherHeaderLinesAndAnswersStay() {
        assertThat(header(">>", "Accept: application/json")).isEqualTo(FilterReply.NEUTRAL);
        // an answer's header named like a credential is not the bundle's credential
        assertThat(header("<<", "Authorization-Hint: none")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(header(">>", "X-Authorization-Note: none")).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void sentWireBytesAreDroppedReceivedOnesStay() {
        assertThat(wire(">> \"Basic c2VjcmV0[\\r][\\n]\"")).isEqualTo(FilterReply.DENY);
        assertThat(wire("<< \"HTTP/1.1 200 [\\r][\\n]\"")).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void aReceivedLineStaysEvenWhenItsContentHasTheSentArrow() {
        assertThat(wire("<< \"{\\\"note\\\":\\\"a >> b\\\"}\"")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(header("<<", "X-Note: >> Authorization: x")).isEqualTo(FilterReply.NEUTRAL);
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
