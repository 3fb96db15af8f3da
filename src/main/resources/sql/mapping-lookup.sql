-- Enrichment (SPEC 3): the partner's mappings for the event's customer, product(s) and subscription.
SELECT
    (SELECT company_id FROM customer_mapping
      WHERE partner_id = :#partnerId AND customer_id = :#customerId) AS company_id,
    (SELECT catalog_item_id FROM product_mapping
      WHERE partner_id = :#partnerId AND product_id = :#productId) AS catalog_item_id,
    (SELECT catalog_item_id FROM product_mapping
      WHERE partner_id = :#partnerId AND product_id = :#upgradeProductId) AS upgrade_catalog_item_id,
    (SELECT agreement_id FROM subscription_mapping
      WHERE partner_id = :#partnerId AND subscription_id = :#subscriptionId) AS agreement_id,
    (SELECT from_date FROM subscription_mapping
      WHERE partner_id = :#partnerId AND subscription_id = :#subscriptionId) AS from_date,
    (SELECT rules::text FROM sync_rules WHERE partner_id = :#partnerId) AS sync_rules,
    EXISTS (SELECT 1 FROM subscription_unmapped
      WHERE partner_id = :#partnerId AND subscription_id = :#subscriptionId) AS unmapped,
    -- R21: the day the subscription's latest synced cancellation took effect (an event after it bills nothing from then)
    (SELECT coalesce(CAST(e.payload ->> 'cancellationDate' AS date), CAST(timezone('UTC', t.occurred_at) AS date))
       FROM sync_task t JOIN subscription_event e ON e.event_id = t.event_id
      WHERE t.partner_id = :#partnerId AND t.subscription_id = :#subscriptionId
        AND t.type = 'CANCELLATION_ORDER' AND t.status = 'SYNCED'
      ORDER BY t.occurred_at DESC, t.task_id DESC LIMIT 1) AS cancelled_from,
    -- R6: the existing addition adopted as the subscription's base line (the sales order brings it in step)
    (SELECT addition_id FROM subscription_adoption
      WHERE partner_id = :#partnerId AND subscription_id = :#subscriptionId) AS adopted_addition_id
