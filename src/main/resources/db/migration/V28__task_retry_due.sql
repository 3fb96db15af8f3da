-- Issue 14: a task left PENDING because ConnectWise was out or busy (or another run holds its write) is
-- tried again when retry_due_at has passed, by route subscription-retries-due (read by every instance's
-- retry timer and by the clustered tick), instead of an in-memory executor that a stop forgot.
ALTER TABLE sync_task ADD COLUMN retry_due_at TIMESTAMPTZ;
CREATE INDEX sync_task_retry_due ON sync_task (retry_due_at) WHERE retry_due_at IS NOT NULL AND status = 'PENDING';

-- The per-event look-ups of the sync (issue 14, SQL per event): a subscription's open tasks in the order they
-- run, and the operations not DONE of a partner's open tasks (the in-doubt check joins them by task).
CREATE INDEX sync_task_open ON sync_task (partner_id, subscription_id, occurred_at, task_id)
    WHERE status IN ('PENDING', 'NEEDS_MAPPING');
CREATE INDEX subscription_line_updated ON subscription_line (partner_id, subscription_id, updated_at);
