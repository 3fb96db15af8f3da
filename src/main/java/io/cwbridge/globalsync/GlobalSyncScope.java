package io.cwbridge.globalsync;

/**
 * An on-demand global sync (R30, seed 000) of one customer (its company's fields), one product (its
 * catalog item's fields) or one subscription (its addition lines and month roll, R18).
 */
public record GlobalSyncScope(Kind kind, String id) {

    public enum Kind { CUSTOMER, PRODUCT, SUBSCRIPTION }

    boolean covers(Kind k, String itemId) {
        return kind == k && id.equals(itemId);
    }

    boolean excludes(Kind k) {
        return kind != k;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id;
    }
}
