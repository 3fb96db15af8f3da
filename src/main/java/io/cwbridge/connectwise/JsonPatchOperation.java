package io.cwbridge.connectwise;

/** One JSON Patch step as ConnectWise takes it: path is the case-sensitive field name. */
public record JsonPatchOperation(String op, String path, Object value) {

    public static JsonPatchOperation replace(String field, Object value) {
        return new JsonPatchOperation("replace", field, value);
    }

    public static JsonPatchOperation remove(String field) {
        return new JsonPatchOperation("remove", field, null);
    }
}
