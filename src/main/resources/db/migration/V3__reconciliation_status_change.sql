-- Every status change of a billing reconciliation (R32) as it happens; the daily digest
-- "Billing Reconciliation Status Synced" (R33) reads the changes of its day from here, so the
-- reconciliation and the notifications meet at this table and nowhere else.
CREATE TABLE reconciliation_status_change (
    change_id        BIGSERIAL PRIMARY KEY,
    partner_id       VARCHAR(100) NOT NULL,
    subscription_id  VARCHAR(100) NOT NULL,
    period_start     DATE         NOT NULL,
    previous_status  VARCHAR(30),
    status           VARCHAR(30)  NOT NULL,
    changed_at       TIMESTAMPTZ  NOT NULL
);

CREATE INDEX reconciliation_status_change_partner_time ON reconciliation_status_change (partner_id, changed_at);
