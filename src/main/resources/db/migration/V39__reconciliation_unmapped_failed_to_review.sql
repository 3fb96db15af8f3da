-- R32: before the fix of unmapped subscriptions (a subscription with no agreement or product mapping is FAILED_REVIEW,
-- "ConnectWise values could not be read", and checked again daily), such a month was compared with an empty ConnectWise
-- side, its whole invoice taken as the delta, and its post ended FAILED with the reason below: a state the daily run never
-- checks again, so the month stayed FAILED after the subscription was mapped. Those rows, and only those (selected by that
-- exact reason, which only the missing agreement or product gave), become FAILED_REVIEW as the check would record them now:
-- no ConnectWise values and no delta (both were of the empty side), the old reason kept in the new one, and the status
-- change written as every other (reconciliation_status_change, V3).
WITH moved AS (
    UPDATE billing_reconciliation
       SET status = 'FAILED_REVIEW',
           reason = 'ConnectWise values could not be read: the subscription had no agreement or product mapping in ConnectWise'
                    || ' when it was checked; checked again on the next run (was FAILED: ' || reason || ')',
           psa_quantity = NULL, psa_cost = NULL, psa_price = NULL, psa_end_quantity = NULL, usage_quantity = NULL,
           delta_cost = NULL, delta_price = NULL, updated_at = now()
     WHERE status = 'FAILED' AND posting_since IS NULL
       AND reason = 'Posting to ConnectWise failed: the subscription has no agreement or product to post the delta on'
    RETURNING partner_id, subscription_id, period_start)
INSERT INTO reconciliation_status_change (partner_id, subscription_id, period_start, previous_status, status, changed_at)
SELECT partner_id, subscription_id, period_start, 'FAILED', 'FAILED_REVIEW', now() FROM moved;
