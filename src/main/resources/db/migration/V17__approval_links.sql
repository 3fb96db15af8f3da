-- Approval by mail (R35) and the digests as the seeds write them (R33).

-- Every approve link a digest carried: signed (HMAC, the signature is not stored), single use
-- (used_at is set once, atomically, by the POST that approves) and expiring (expires_at, from the
-- bundle's clock when the digest was built). task_ids: the task of a "approve" link, or every task
-- the mail listed for its "approve all listed" link (scope ALL).
CREATE TABLE approval_link (
    token_id     VARCHAR(40)  PRIMARY KEY,
    partner_id   VARCHAR(100) NOT NULL REFERENCES partner_connection (partner_id) ON DELETE CASCADE,
    scope        VARCHAR(10)  NOT NULL CHECK (scope IN ('TASK', 'ALL')),
    task_ids     BIGINT[]     NOT NULL,
    issued_at    TIMESTAMPTZ  NOT NULL,
    expires_at   TIMESTAMPTZ  NOT NULL,
    used_at      TIMESTAMPTZ,
    result       TEXT
);
CREATE INDEX approval_link_partner ON approval_link (partner_id, issued_at);

-- R33: the name the digests greet (the partner's account name), and seed 001's two choices:
-- "errors and when my action is needed" (on by default) and "all created and synchronized tasks".
ALTER TABLE notification_settings
    ADD COLUMN account_name        VARCHAR(200),
    ADD COLUMN errors_and_action   BOOLEAN NOT NULL DEFAULT TRUE,
    ADD COLUMN all_tasks           BOOLEAN NOT NULL DEFAULT FALSE;
