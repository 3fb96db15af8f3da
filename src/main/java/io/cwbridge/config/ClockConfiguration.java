package io.cwbridge.config;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one clock every date decision uses (timer routes, month roll, reconciliation windows,
 * digests). {@code cwbridge.sync.clock} (or {@code sync.clock}) set to an ISO instant such as
 * {@code 2024-03-31T23:59:00Z} fixes it for demos and tests; unset, it is the system clock in UTC.
 */
@Configuration(proxyBeanMethods = false)
public class ClockConfiguration {

    @Bean
    public Clock syncClock(@Value("${cwbridge.sync.clock:${sync.clock:}}") String fixedInstant) {
        if (fixedInstant == null || fixedInstant.isBlank()) {
            return Clock.systemUTC();
        }
        try {
            return Clock.fixed(Instant.parse(fixedInstant.trim()), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("cwbridge.sync.clock must be an ISO-8601 instant such as 2024-03-31T23:59:00Z, was: " + fixedInstant, e);
        }
    }
}
