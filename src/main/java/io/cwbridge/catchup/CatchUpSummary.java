package io.cwbridge.catchup;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The partner's catch-ups (R27) at a glance, for the workbench.
 *
 * @param toReview                 catch-ups LISTED for a person or FAILED to post
 * @param amountToReview           their amounts summed (negative: credits owed to customers), scale 2
 * @param amountToReviewByCurrency the same per currency
 * @param byStatus                 every catch-up per status (LISTED, POSTING, POSTED, FAILED, RESOLVED)
 */
public record CatchUpSummary(long toReview, BigDecimal amountToReview, Map<String, BigDecimal> amountToReviewByCurrency,
                             Map<String, Long> byStatus) {}
