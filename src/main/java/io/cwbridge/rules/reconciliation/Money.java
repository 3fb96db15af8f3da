package io.cwbridge.rules.reconciliation;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money of the reconciliation: scale 2, HALF_UP (the seeds name no other rounding). */
public final class Money {

    public static final int SCALE = 2;
    public static final RoundingMode ROUNDING = RoundingMode.HALF_UP;
    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

    private Money() {}

    public static BigDecimal of(BigDecimal value) {
        return value == null ? ZERO : value.setScale(SCALE, ROUNDING);
    }
}
