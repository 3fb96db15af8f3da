package io.cwbridge.console;

import io.cwbridge.reconciliation.MonthlyRevenue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The overview's bar chart of billed vs marketplace revenue per month (issue 16), laid out here so
 * the template draws a plain SVG: no script, no inline style (the CSP allows neither), the same
 * figures in a table next to it. Bars are scaled to the largest figure; coordinates are whole pixels.
 */
public record RevenueChart(String currency, int width, int height, int baseline, List<Group> groups, List<Tick> ticks) {

    /** One month: its figures (billed may be null: unread) and its two bars. */
    public record Group(String month, String label, BigDecimal billed, BigDecimal marketplace, Bar billedBar, Bar marketplaceBar, int labelX) {}

    public record Bar(int x, int y, int width, int height) {}

    public record Tick(int y, String label) {}

    static final int WIDTH = 760;
    static final int HEIGHT = 260;
    private static final int LEFT = 70;
    private static final int TOP = 12;
    private static final int BOTTOM = 30;
    private static final int BAR = 18;

    static RevenueChart of(MonthlyRevenue.Currency revenue) {
        BigDecimal max = BigDecimal.ZERO;
        for (MonthlyRevenue.Month m : revenue.months()) {
            if (m.billed() != null) max = max.max(m.billed());
            max = max.max(m.marketplace());
        }
        int baseline = HEIGHT - BOTTOM;
        int plot = baseline - TOP;
        int n = Math.max(1, revenue.months().size());
        int slot = (WIDTH - LEFT) / n;
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < revenue.months().size(); i++) {
            MonthlyRevenue.Month m = revenue.months().get(i);
            int x = LEFT + i * slot + (slot - 2 * BAR - 2) / 2;
            groups.add(new Group(m.month().toString(), m.month().toString().substring(2), m.billed(), m.marketplace(),
                    m.billed() == null ? null : bar(x, m.billed(), max, plot, baseline),
                    bar(x + BAR + 2, m.marketplace(), max, plot, baseline), LEFT + i * slot + slot / 2));
        }
        List<Tick> ticks = new ArrayList<>();
        for (int t = 0; t <= 2; t++) {
            BigDecimal value = max.multiply(BigDecimal.valueOf(t)).divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP);
            ticks.add(new Tick(baseline - plot * t / 2, value.toPlainString()));
        }
        return new RevenueChart(revenue.currency(), WIDTH, HEIGHT, baseline, groups, ticks);
    }

    private static Bar bar(int x, BigDecimal value, BigDecimal max, int plot, int baseline) {
        int h = max.signum() == 0 ? 0
                : value.multiply(BigDecimal.valueOf(plot)).divide(max, 0, RoundingMode.HALF_UP).intValue();
        return new Bar(x, baseline - h, BAR, h);
    }
}
