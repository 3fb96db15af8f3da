-- R30 x R31: the global sync's truth for an addition's unit price and cost is the latest event that reached
-- ConnectWise, the one whose task is SYNCED. An event waiting for a person's approval (MANUAL), for the task
-- period (EVERY_5_MINUTES, DAILY), for a retry (FAILED) or for its mapping has sent nothing yet: pushing its price
-- onto the running base line would send it without the approval and re-price the days before the change (the
-- task's own plan ends the old line and starts a new one at the change). Same order as latest_subscription_event (V23).
CREATE VIEW latest_synced_subscription_event AS
SELECT DISTINCT ON (e.partner_id, e.subscription_id)
       e.event_id, e.partner_id, e.subscription_id, e.type, e.action, e.occurred_at, e.payload, e.source, e.received_at
FROM subscription_event e
JOIN sync_task t ON t.event_id = e.event_id AND t.status = 'SYNCED'
ORDER BY e.partner_id, e.subscription_id, e.occurred_at DESC, e.received_at DESC;
