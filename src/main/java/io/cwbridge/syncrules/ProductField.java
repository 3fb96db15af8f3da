package io.cwbridge.syncrules;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Catalog item fields the bundle may push to ConnectWise (SPEC §4 "product fields pushed"). */
public enum ProductField {
    MANUFACTURER("manufacturer"), NAME("name"), PRICE("price"), COST("cost"),
    MFG_PART_NUMBER("mfgPartNumber"), DESCRIPTION("description");

    private final String json;

    ProductField(String json) {
        this.json = json;
    }

    /** The name in the API and in the stored rules. */
    @JsonValue
    public String json() {
        return json;
    }

    public static Optional<ProductField> fromJson(String value) {
        return Arrays.stream(values()).filter(f -> f.json.equals(value)).findFirst();
    }
}
