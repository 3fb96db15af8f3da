package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A ConnectWise field path such as {@code quantity}, {@code company/id} or {@code _info/lastUpdated}. */
final class FieldPath {

    private FieldPath() {}

    /** The value at the path; missing or JSON null when any step is absent. Runs per record per query, so no split(). */
    static JsonNode resolve(JsonNode doc, String path) {
        JsonNode node = doc;
        int start = 0;
        while (true) {
            if (node == null || !node.isObject()) {
                return MissingNode.getInstance();
            }
            int slash = path.indexOf('/', start);
            node = node.get(slash < 0 ? (start == 0 ? path : path.substring(start)) : path.substring(start, slash));
            if (slash < 0) {
                return node == null ? MissingNode.getInstance() : node;
            }
            start = slash + 1;
        }
    }

    static boolean isAbsent(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull();
    }

    static String root(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }
}
