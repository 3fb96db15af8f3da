-- Issue 18: "a subscription's latest event" in one place. The latest by date of change wins (a late
-- delivery of an older change does not); of two at the same moment, the one received last.
-- PostgreSQL pushes a filter on partner_id / subscription_id into the DISTINCT ON, so a query for one
-- subscription reads only its rows through the index below, and the whole view is one ordered scan.
CREATE INDEX subscription_event_latest ON subscription_event (partner_id, subscription_id, occurred_at DESC, received_at DESC);

CREATE VIEW latest_subscription_event AS
SELECT DISTINCT ON (partner_id, subscription_id)
       event_id, partner_id, subscription_id, type, action, occurred_at, payload, source, received_at
FROM subscription_event
ORDER BY partner_id, subscription_id, occurred_at DESC, received_at DESC;
