package io.cwbridge.console;

import org.springframework.ui.Model;

/** The console's lists show {@link #PAGE_SIZE} rows a page; the pager fragment (parts.html) reads {@code current} and {@code pages}. */
final class ConsolePager {

    static final int PAGE_SIZE = 25;

    private ConsolePager() {}

    /** How many pages {@code total} rows fill (at least one, so an empty list still shows page 1 of 1). */
    static int pages(long total) {
        return (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
    }

    /** Puts the pager's figures on the page. */
    static void put(Model model, int current, long total) {
        model.addAttribute("current", current);
        model.addAttribute("pages", pages(total));
    }
}
