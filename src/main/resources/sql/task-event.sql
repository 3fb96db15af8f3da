-- The task to sync with its event (the payload the rules read) and the operations of a plan it stored before, in
-- order (null when none), so the stored plan costs no read of its own, and whether it has R27 catch-ups (issue 14).
SELECT t.task_id, t.partner_id, t.subscription_id, t.status, e.payload::text AS payload,
       (SELECT json_agg(json_build_object('seq', o.seq, 'line_key', o.line_key, 'reason', o.reason, 'request', o.request::text,
                                          'status', o.status) ORDER BY o.seq)::text
        FROM task_operation o WHERE o.task_id = t.task_id) AS operations,
       EXISTS (SELECT 1 FROM invoiced_catch_up c WHERE c.task_id = t.task_id) AS has_catch_ups
FROM sync_task t JOIN subscription_event e ON e.event_id = t.event_id
WHERE t.task_id = :#${variable.taskId}
