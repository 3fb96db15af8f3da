-- The task to sync with its event (the payload the rules read).
SELECT t.task_id, t.partner_id, t.subscription_id, t.status, e.payload::text AS payload
FROM sync_task t JOIN subscription_event e ON e.event_id = t.event_id
WHERE t.task_id = :#${variable.taskId}
