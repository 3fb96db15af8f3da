package io.cwbridge.sync;

/**
 * Published (as a Spring application event) after a mapping was saved or removed and the change
 * is committed, so a listener may read it at once. The pipeline uses it to retry the tasks that
 * wait for this mapping (SPEC 3: NEEDS_MAPPING is synced once the mapping exists).
 *
 * @param partnerId  the partner whose mapping changed
 * @param kind       {@link #CUSTOMER}, {@link #PRODUCT} or {@link #SUBSCRIPTION}
 * @param id         the marketplace id: customer id, product id or subscription id
 * @param mapped     true when the item is now mapped (saved or replaced), false when it was unmapped
 */
public record MappingChanged(String partnerId, String kind, String id, boolean mapped) {

    public static final String CUSTOMER = "CUSTOMER";
    public static final String PRODUCT = "PRODUCT";
    public static final String SUBSCRIPTION = "SUBSCRIPTION";
}
