package io.cwbridge.mapping;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How close two names are, 0..1, for ranking candidates when no exact match exists (R1, R2).
 * Half edit distance over the whole lower-cased name, half shared words, so "Chairs Unlimited Inc"
 * ranks close to "Chairs Unlimited" and word order matters less. Pure Java.
 */
final class NameSimilarity {

    private NameSimilarity() {}

    static double score(String a, String b) {
        String x = normal(a);
        String y = normal(b);
        if (x.isEmpty() || y.isEmpty()) return 0;
        double edit = 1.0 - (double) levenshtein(x, y) / Math.max(x.length(), y.length());
        Set<String> wa = new HashSet<>(words(x));
        Set<String> wb = new HashSet<>(words(y));
        Set<String> union = new HashSet<>(wa);
        union.addAll(wb);
        wa.retainAll(wb);
        double shared = union.isEmpty() ? 0 : (double) wa.size() / union.size();
        return Math.round((edit + shared) / 2 * 1000) / 1000.0;
    }

    /** The words worth searching ConnectWise for (3 characters or more). */
    static List<String> words(String name) {
        return Arrays.stream(normal(name).split(" ")).filter(w -> w.length() >= 3).distinct().toList();
    }

    private static String normal(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
