package io.cwbridge.mail;

import java.util.List;
import java.util.function.Function;

/**
 * One table of a digest as the templates show it: the first {@link #MAX_ROWS_PER_TABLE}
 * rows as text cells, {@code total} rows in all, {@code more} left out. {@code title} null: no heading.
 */
public record DigestTable(String title, List<String> headers, List<List<String>> rows, int total) {

    /** Longer tables are cut here with a line saying how many more there are. */
    public static final int MAX_ROWS_PER_TABLE = 500;

    public DigestTable {
        headers = List.copyOf(headers);
        rows = List.copyOf(rows);
    }

    public int more() {
        return total - rows.size();
    }

    public static <T> DigestTable of(String title, List<String> headers, List<T> items, Function<T, List<String>> cells) {
        return new DigestTable(title, headers, items.stream().limit(MAX_ROWS_PER_TABLE).map(cells).toList(),
                items.size());
    }
}
