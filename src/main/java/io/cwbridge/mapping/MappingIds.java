package io.cwbridge.mapping;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.partner.PartnerIds;

/**
 * Marketplace ids arrive as path segments and are stored as they are (up to 100 characters,
 * the column width). They may hold characters such as ':' ("CFQ7TTC0LCHC:0002"), so they are
 * only checked for length, never reshaped.
 */
final class MappingIds {

    private MappingIds() {}

    static void check(String partnerId, String field, String id) {
        PartnerIds.check(partnerId);
        if (id == null || id.isBlank() || id.length() > 100) {
            throw ApiProblems.badRequest(field, "must be 1-100 characters");
        }
    }
}
