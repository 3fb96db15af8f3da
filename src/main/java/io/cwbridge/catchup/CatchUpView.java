package io.cwbridge.catchup;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * One catch-up (R27) as tasks, the workbench and the digest show it: the part of a change that fell
 * into a period ConnectWise has already invoiced.
 *
 * @param amount       licence-days × unit price / days in the period; negative is a credit
 * @param cost         the same with the unit cost
 * @param status       LISTED (for a person to review), POSTING, POSTED (as adjustment {@code adjustmentId}),
 *                     FAILED ({@code message} is ConnectWise's answer), RESOLVED (a person settled it by
 *                     hand; {@code message} is their note)
 * @param effectiveDate the adjustment's effective date: the agreement's next invoice date
 */
public record CatchUpView(long catchUpId, String partnerId, String subscriptionId, long agreementId, Long taskId,
                          Long runId, Long catalogItemId, LocalDate periodStart, LocalDate periodEnd, LocalDate from,
                          LocalDate to, BigDecimal licenceDays, int daysInPeriod, BigDecimal unitPrice, BigDecimal unitCost,
                          BigDecimal amount, BigDecimal cost, String currency, String reason, String description,
                          String status, Long adjustmentId, LocalDate effectiveDate, String message,
                          OffsetDateTime postedAt, OffsetDateTime createdAt) {

    public static final String LISTED = "LISTED";
    public static final String POSTING = "POSTING";
    public static final String POSTED = "POSTED";
    public static final String FAILED = "FAILED";
    public static final String RESOLVED = "RESOLVED";
}
