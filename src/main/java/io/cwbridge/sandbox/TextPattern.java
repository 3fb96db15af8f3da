package io.cwbridge.sandbox;

import java.util.regex.Pattern;

/**
 * A quoted string of a {@code conditions} expression read as ConnectWise reads it. The ConnectWise Developer Guide
 * "PSA API Requests" (last updated 31 Mar 2023; stored copy
 * https://gitea.resolutionflow.com/chihlasm/resolutionflow/raw/commit/fded959b5e5f142caffe700fbecaea4af4eb0ead/docs/connectwise/best-practices/PSA-API-Requests.md)
 * says, section "Conditions": Strings "Must be surrounded by quotes", example {@code Summary = "This is my string"}
 * "(Accepts {@code *} for wildcards)" — so {@code *} is a wildcard after {@code =} too, not only after {@code like};
 * section "Escaping Characters", URL Parameters: {@code [string]} is written {@code [[]string]} — so {@code [[]} is a
 * literal {@code [} and a bare {@code [} is not.
 *
 * <p>Assumptions beyond the guide (it says no more): a bracket group {@code [abc]} / {@code [a-c]} / {@code [^abc]}
 * matches one character of (not of) the set, as in SQL Server's LIKE, which {@code [[]} comes from; a {@code [} with
 * no {@code ]} after it is literal; {@code %} is a wildcard only after {@code like} (SQL's own); {@code *} and groups
 * work the same after {@code !=} and {@code contains}; text compares without case (SQL Server collation).
 */
final class TextPattern {

    private TextPattern() {}

    /** Whether {@code written} means more than its characters: a wildcard or a bracket group. */
    static boolean isPattern(String written, boolean percent) {
        return written.indexOf('*') >= 0 || written.indexOf('[') >= 0 || (percent && written.indexOf('%') >= 0);
    }

    /** {@code written} as a whole-text regex; {@code percent}: {@code %} is a wildcard as well (after {@code like}). */
    static Pattern compile(String written, boolean percent) {
        return compiled(regex(written, percent), written);
    }

    /** The same matching anywhere in the text ({@code contains}). */
    static Pattern compileContains(String written) {
        return compiled(".*" + regex(written, false) + ".*", written);
    }

    private static Pattern compiled(String regex, String written) {
        try {
            return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new ConditionsException("invalid pattern \"" + written + "\" (a bracket group such as [z-a])");
        }
    }

    private static String regex(String written, boolean percent) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < written.length()) {
            char c = written.charAt(i);
            int close = c == '[' ? written.indexOf(']', i + 2) : -1;
            if (c == '*' || (percent && c == '%')) {
                flush(regex, literal).append(".*");
                i++;
            } else if (close > 0) {
                flush(regex, literal).append(set(written.substring(i + 1, close)));
                i = close + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        return flush(regex, literal).toString();
    }

    private static StringBuilder flush(StringBuilder regex, StringBuilder literal) {
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
        }
        return regex;
    }

    /** One character of the group: {@code [[]} is {@code [}; {@code ^} first negates, {@code a-c} is a range. */
    private static String set(String content) {
        StringBuilder set = new StringBuilder("[");
        int i = 0;
        if (content.length() > 1 && content.charAt(0) == '^') {
            set.append('^');
            i = 1;
        }
        while (i < content.length()) {
            char c = content.charAt(i);
            if (i + 2 < content.length() && content.charAt(i + 1) == '-') {
                set.append(escaped(c)).append('-').append(escaped(content.charAt(i + 2)));
                i += 3;
            } else {
                set.append(escaped(c));
                i++;
            }
        }
        return set.append(']').toString();
    }

    private static String escaped(char c) {
        return String.format("\\x{%x}", (int) c);
    }
}
