-- Claims on operations are kept alive by the run that holds them (renewed while it is alive) and
-- released when it gives up, so the lease only protects against a run that is gone. claimed_until
-- is when the claim lapses; NULL on rows claimed before this column (then started_at + the lease).
ALTER TABLE task_operation ADD COLUMN claimed_until TIMESTAMPTZ;

-- When a task last read its subscription's lines to plan: a plan is only stored when no other
-- task's write to those lines is in doubt or has been made since (SubscriptionSync, R16).
ALTER TABLE sync_task ADD COLUMN lines_read_at TIMESTAMPTZ;

-- Operations not yet DONE are few; the in-doubt check before every plan reads only them.
CREATE INDEX task_operation_not_done ON task_operation (task_id) WHERE status <> 'DONE';
