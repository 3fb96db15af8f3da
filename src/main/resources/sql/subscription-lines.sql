-- The subscription's known addition lines (which ConnectWise addition holds which line), with the
-- bundle's copy of each (V15; copied_at NULL: no copy, read it from ConnectWise).
SELECT line_key, agreement_id, addition_id, catalog_item_id, quantity, unit_price, unit_cost, effective_date, cancelled_date,
       description, invoice_description, copied_at, copy_next_invoice
FROM subscription_line
WHERE partner_id = :#partnerId AND subscription_id IN (:#subscriptionId, :#upgradeSubscriptionId)
ORDER BY line_key
