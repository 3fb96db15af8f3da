-- Billing reconciliation v2 (SPEC 6, R32 v2): days-weighted PSA values with the usage lines apart,
-- the charges posted automatically after the cutover (still open to Accept / Reject), and every
-- write to ConnectWise recorded as an operation of its reconciliation.
ALTER TABLE billing_reconciliation ADD COLUMN usage_quantity NUMERIC(14, 4);
ALTER TABLE billing_reconciliation ADD COLUMN psa_end_quantity NUMERIC(14, 4);
-- When the daily run posted the final charges by itself (null: not posted automatically).
ALTER TABLE billing_reconciliation ADD COLUMN auto_posted_at TIMESTAMPTZ;

-- What the reconciliation sent to ConnectWise: the final unit cost, a delta line, an IaaS line's new
-- values, and the undo of a rejected automatic post; request is the body or patch sent, previous
-- the values it replaced (to undo a rejected post).
CREATE TABLE reconciliation_operation (
    operation_id      BIGSERIAL    PRIMARY KEY,
    reconciliation_id BIGINT       NOT NULL REFERENCES billing_reconciliation (reconciliation_id),
    kind              VARCHAR(30)  NOT NULL,
    addition_id       BIGINT,
    request           JSONB        NOT NULL,
    previous          JSONB,
    status            VARCHAR(10)  NOT NULL,
    error             TEXT,
    done_at           TIMESTAMPTZ  NOT NULL
);
CREATE INDEX reconciliation_operation_reconciliation ON reconciliation_operation (reconciliation_id, operation_id);
