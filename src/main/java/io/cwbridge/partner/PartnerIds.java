package io.cwbridge.partner;

import io.cwbridge.api.ApiProblems;
import java.util.regex.Pattern;

/** Partner ids appear in paths, topics and logs: keep them to a safe, readable alphabet. */
public final class PartnerIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private PartnerIds() {}

    public static void check(String partnerId) {
        if (partnerId == null || !VALID.matcher(partnerId).matches()) {
            throw ApiProblems.badRequest("partnerId", "must be 1-100 letters, digits, '.', '_' or '-'");
        }
    }
}
