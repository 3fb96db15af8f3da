package io.cwbridge.sync;

import io.cwbridge.rules.LineKey;
import io.cwbridge.rules.LineRole;
import java.time.LocalDate;

/** Reads back the text form of a {@link LineKey} ({@code sub/ROLE/2024-03-15#1}) stored in subscription_line. */
public final class LineKeys {

    private LineKeys() {}

    /** The role a stored key names, or null when the text is no line key (an older or hand-made row). */
    public static LineRole roleOf(String text) {
        try {
            return text == null ? null : parse(text).role();
        } catch (RuntimeException notALineKey) {
            return null;
        }
    }

    public static LineKey parse(String text) {
        // From the right: the subscription id itself may contain '/'.
        int last = text.lastIndexOf('/');
        int middle = text.lastIndexOf('/', last - 1);
        if (last < 0 || middle < 0) throw new IllegalArgumentException("not a line key: " + text);
        String datePart = text.substring(last + 1);
        int revision = 0;
        int hash = datePart.indexOf('#');
        if (hash >= 0) {
            revision = Integer.parseInt(datePart.substring(hash + 1));
            datePart = datePart.substring(0, hash);
        }
        return new LineKey(text.substring(0, middle), LineRole.valueOf(text.substring(middle + 1, last)),
                LocalDate.parse(datePart), revision);
    }
}
