package io.cwbridge.sandbox;

import java.util.List;

/**
 * One property of a ConnectWise schema as the sandbox checks it.
 *
 * @param maxLength 0 when the schema gives none
 * @param target    for references the sandbox can resolve: the resource key (e.g. "company")
 * @param readOnly  computed by the server; ignored on input
 */
record FieldSpec(String name, Kind kind, int maxLength, List<String> values, String target, boolean readOnly) {

    enum Kind { INT, NUMBER, TEXT, DATE, BOOL, ENUM, REF, ARRAY, INFO }

    /** Parses {@code "name kind[:arg] [ro]"}, e.g. {@code "serialNumber text:50"}, {@code "company ref:company"}. */
    static FieldSpec parse(String line) {
        String[] words = line.trim().split("\\s+");
        String name = words[0];
        String[] kindAndArg = words[1].split(":", 2);
        String arg = kindAndArg.length > 1 ? kindAndArg[1] : null;
        boolean readOnly = words.length > 2 && words[2].equals("ro");
        Kind kind = Kind.valueOf(kindAndArg[0].toUpperCase(java.util.Locale.ROOT));
        return switch (kind) {
            case TEXT -> new FieldSpec(name, kind, arg == null ? 0 : Integer.parseInt(arg), List.of(), null, readOnly);
            case ENUM -> new FieldSpec(name, kind, 0, List.of(arg.split("\\|")), null, readOnly);
            case REF -> new FieldSpec(name, kind, 0, List.of(), arg, readOnly);
            default -> new FieldSpec(name, kind, 0, List.of(), null, readOnly);
        };
    }
}
