package io.cwbridge.rules;

/**
 * The rules cannot plan without a mapping that is missing (e.g. the catalog item of an upgrade's new
 * product); the pipeline turns it into a NEEDS_MAPPING task (SPEC §3).
 */
public class MappingRequiredException extends RuntimeException {

    private final String missing;

    public MappingRequiredException(String missing, String message) {
        super(message);
        this.missing = missing;
    }

    /** Which mapping is missing: "catalogItemId" or "upgradeCatalogItemId". */
    public String missing() {
        return missing;
    }
}
