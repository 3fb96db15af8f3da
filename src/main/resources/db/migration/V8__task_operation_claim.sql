-- Who is delivering an operation, since when. The per-subscription advisory lock is lost when
-- the database connection or server goes away while its holder is still sending; the claim on
-- the operation row keeps a second run from sending the same operation until the first one's
-- lease (the longest one delivery may take) has run out.
ALTER TABLE task_operation
    ADD COLUMN started_at TIMESTAMPTZ,
    ADD COLUMN started_by VARCHAR(64);
