package io.cwbridge.sandbox;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * ConnectWise's date-times: UTC, whole seconds, {@code 2024-03-15T00:00:00Z}. Input may be a bare
 * date, a local date-time (taken as UTC) or one with any offset; everything is stored normalized.
 */
final class SandboxDates {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private SandboxDates() {}

    static Optional<Instant> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        try {
            if (s.length() == 10) {
                return Optional.of(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d{2}:?\\d{2}$")) {
                return Optional.of(OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
            }
            return Optional.of(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String format(Instant instant) {
        return FORMAT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static String format(LocalDate date) {
        return format(date.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** The UTC calendar day of a stored date-time, or empty if it is missing or unreadable. */
    static Optional<LocalDate> day(String text) {
        return parse(text).map(i -> LocalDate.ofInstant(i, ZoneOffset.UTC));
    }
}
