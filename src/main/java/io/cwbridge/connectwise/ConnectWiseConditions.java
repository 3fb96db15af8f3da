package io.cwbridge.connectwise;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Writes values into ConnectWise {@code conditions} strings, as the ConnectWise Developer Guide "PSA API Requests"
 * (last updated 31 Mar 2023) documents them; stored copy:
 * https://gitea.resolutionflow.com/chihlasm/resolutionflow/raw/commit/fded959b5e5f142caffe700fbecaea4af4eb0ead/docs/connectwise/best-practices/PSA-API-Requests.md
 * <ul>
 *   <li>section "Conditions": strings "Must be surrounded by quotes", {@code Summary = "This is my string"}
 *       "(Accepts {@code *} for wildcards)"; datetimes "Must be surrounded by square brackets"
 *       ({@code LastUpdated = [2016-08-20T18:04:26Z]}); integers need no formatting;</li>
 *   <li>section "Escaping Characters", URL Parameters: {@code [string]} is written {@code [[]string]}. No way to
 *       write a literal {@code *} or a {@code "} inside a quoted string is documented, and backslash is no escape
 *       there (the guide's backslash escapes are for JSON bodies).</li>
 * </ul>
 * So a text condition can only narrow an answer down: {@link #text} matches at least every record whose field
 * equals the value (and, as the server compares, perhaps others: a {@code *} in the value, SQL Server's case-blind
 * collation), and a caller compares the text it is after exactly, in Java, on the answer. Look-ups that decide
 * whether a create landed put only exact, non-text fields into their conditions ({@link AdditionIdentity}).
 */
public final class ConnectWiseConditions {

    private ConnectWiseConditions() {}

    /**
     * {@code value} as a quoted conditions string that matches at least the records whose field equals it: {@code [}
     * is written {@code [[]} (guide, "Escaping Characters"); a {@code "}, which cannot be written, becomes the wildcard
     * {@code *}, as does the {@code *} the value holds already (it matches itself). Compare the answers exactly.
     */
    public static String text(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '[' -> quoted.append("[[]");
                case '"' -> quoted.append('*');
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    /** A date as the bracketed UTC-midnight date-time ConnectWise takes ({@code [2024-03-15T00:00:00Z]}). */
    public static String date(LocalDate day) {
        return "[" + dateTime(day) + "]";
    }

    /** ConnectWise takes dates as UTC midnight date-times ({@code 2024-03-15T00:00:00Z}). */
    public static String dateTime(LocalDate day) {
        return day.format(DateTimeFormatter.ISO_LOCAL_DATE) + "T00:00:00Z";
    }

    /**
     * Whether a ConnectWise date text is {@code day}: its first 10 characters, as the bundle reads every date
     * ({@code model.ConnectWiseDate}); the time part (which a server's time zone could shift) is not compared.
     */
    public static boolean sameDay(String text, LocalDate day) {
        return text != null && text.length() >= 10 && text.substring(0, 10).equals(day.toString());
    }
}
