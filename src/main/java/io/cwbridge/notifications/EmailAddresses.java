package io.cwbridge.notifications;

import java.util.regex.Pattern;

/**
 * Checks a recipient is one plain address ({@code local@domain.tld}): no display name, no list, no
 * spaces or line breaks, so a stored recipient can never add a header or a second recipient.
 */
public final class EmailAddresses {

    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z][A-Za-z0-9-]{0,62}");

    private EmailAddresses() {}

    /** Why {@code value} is not a usable recipient, or null when it is. */
    public static String problem(String value) {
        if (value == null || value.isBlank()) {
            return "must not be blank";
        }
        if (value.length() > 254) {
            return "must be at most 254 characters";
        }
        if (!ADDRESS.matcher(value).matches() || value.indexOf('@') > 64) {
            return "must be an e-mail address such as billing@msp.example";
        }
        return null;
    }
}
