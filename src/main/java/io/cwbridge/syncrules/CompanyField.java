package io.cwbridge.syncrules;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Company fields the bundle may push to ConnectWise (SPEC §4 "company fields pushed"). */
public enum CompanyField {
    NAME("name"), ADDRESS("address"), CITY("city"), STATE("state"), ZIP("zip"), COUNTRY("country");

    private final String json;

    CompanyField(String json) {
        this.json = json;
    }

    /** The name in the API and in the stored rules. */
    @JsonValue
    public String json() {
        return json;
    }

    public static Optional<CompanyField> fromJson(String value) {
        return Arrays.stream(values()).filter(f -> f.json.equals(value)).findFirst();
    }
}
