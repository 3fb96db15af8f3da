package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code GET system/info}, the call clients use to test credentials (schema Info). */
final class SystemInfo {

    static final String VERSION = "v2026.4.108517";

    private SystemInfo() {}

    static ObjectNode json() {
        ObjectNode info = SandboxJson.object();
        info.put("version", VERSION);
        info.put("isCloud", false);
        info.put("serverTimeZone", "Eastern Standard Time");
        info.putArray("licenseBits");
        info.put("cloudRegion", "NA");
        return info;
    }
}
