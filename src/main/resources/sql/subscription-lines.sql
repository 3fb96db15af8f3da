-- The subscription's known addition lines (which ConnectWise addition holds which line).
SELECT line_key, agreement_id, addition_id
FROM subscription_line
WHERE partner_id = :#partnerId AND subscription_id IN (:#subscriptionId, :#upgradeSubscriptionId)
ORDER BY line_key
