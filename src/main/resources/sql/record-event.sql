-- Stores an accepted event once and creates its task in one statement: a repeated eventId
-- inserts nothing and returns no row (the idempotency guard, shared by all instances).
WITH new_event AS (
    INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
    VALUES (:#eventId, :#partnerId, :#subscriptionId, :#eventType, :#eventAction,
            CAST(:#occurredAt AS timestamptz), CAST(:#payload AS jsonb), :#source)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id, partner_id, subscription_id, type, action, occurred_at)
INSERT INTO sync_task (event_id, partner_id, subscription_id, type, action, occurred_at, status)
SELECT event_id, partner_id, subscription_id, type, action, occurred_at, 'PENDING' FROM new_event
RETURNING task_id
