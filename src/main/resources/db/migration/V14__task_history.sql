-- Issue 15 (R31): every state change of a sync task, with who, when, from -> to and why.
-- Written by a trigger on sync_task, so no status change can bypass it (routes, the sync engine and
-- the API alike). Who and why come from the transaction's settings cwbridge.actor / cwbridge.why
-- (set by tasks/TaskHistory for a person's action); otherwise "system" and the task's new reason.
-- Read only through tasks/TaskHistory.
CREATE TABLE task_history (
    history_id   BIGSERIAL    PRIMARY KEY,
    task_id      BIGINT       NOT NULL REFERENCES sync_task (task_id),
    changed_at   TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(),
    actor        VARCHAR(200) NOT NULL,
    from_status  VARCHAR(20),
    to_status    VARCHAR(20)  NOT NULL,
    reason       TEXT
);
CREATE INDEX task_history_task ON task_history (task_id, history_id);

-- When and by whom a task was let go by a person: approved (MANUAL task sync) or retried.
ALTER TABLE sync_task ADD COLUMN approved_at TIMESTAMPTZ;
ALTER TABLE sync_task ADD COLUMN approved_by VARCHAR(200);

CREATE FUNCTION task_history_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status THEN
        INSERT INTO task_history (task_id, actor, from_status, to_status, reason)
        VALUES (NEW.task_id,
                coalesce(nullif(current_setting('cwbridge.actor', true), ''), 'system'),
                CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.status END,
                NEW.status,
                coalesce(nullif(current_setting('cwbridge.why', true), ''), NEW.reason,
                         CASE WHEN TG_OP = 'INSERT' THEN 'event accepted' END));
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER sync_task_history AFTER INSERT OR UPDATE OF status ON sync_task
    FOR EACH ROW EXECUTE FUNCTION task_history_record();
