-- R27 (SPEC v2): the part of a change that fell into a period ConnectWise has already invoiced, on an
-- agreement that cannot bill it there itself (it does not prorate and invoice prorated additions).
-- One row per catch-up of a task's plan (task_id, seq) or of a global sync's month roll (run_id).
-- Partner rule invoicedCatchUp REVIEW: the row stays LISTED for a person. ADJUSTMENT: it is claimed
-- (POSTING) before it is posted as an agreement adjustment, then POSTED with the adjustment's id, or
-- FAILED with ConnectWise's message. A POSTING row whose sender is gone is looked up in ConnectWise
-- by its description before it is posted again, so an adjustment is never posted twice. A person may
-- post a LISTED or FAILED one (POST .../catch-ups/{id}/post) or mark it RESOLVED (settled by hand).
CREATE TABLE invoiced_catch_up (
    catch_up_id      BIGSERIAL     PRIMARY KEY,
    partner_id       VARCHAR(100)  NOT NULL,
    subscription_id  VARCHAR(100)  NOT NULL,
    agreement_id     BIGINT        NOT NULL,
    task_id          BIGINT        REFERENCES sync_task (task_id),
    run_id           BIGINT,
    seq              INT           NOT NULL,
    catalog_item_id  BIGINT,
    period_start     DATE          NOT NULL,
    period_end       DATE          NOT NULL,
    from_date        DATE          NOT NULL,
    to_date          DATE          NOT NULL,
    licence_days     NUMERIC       NOT NULL,
    days_in_period   INT           NOT NULL,
    unit_price       NUMERIC,
    unit_cost        NUMERIC,
    amount           NUMERIC       NOT NULL,
    cost_amount      NUMERIC,
    currency         VARCHAR(3),
    reason           TEXT          NOT NULL,
    description      VARCHAR(1000) NOT NULL,
    -- the catch-up as lines of the subscription (R27 catch-up lines): never sent to ConnectWise, given
    -- back to the rules with the subscription's lines so that later plans see what those days bill
    lines            JSONB         NOT NULL DEFAULT '[]',
    -- the adjustment's effective date: the agreement's next invoice date when the catch-up was found
    effective_date   DATE,
    status           VARCHAR(10)   NOT NULL DEFAULT 'LISTED',
    adjustment_id    BIGINT,
    message          TEXT,
    resolved_at      TIMESTAMPTZ,
    attempts         INT           NOT NULL DEFAULT 0,
    claimed_at       TIMESTAMPTZ,
    claimed_by       VARCHAR(64),
    posted_at        TIMESTAMPTZ,
    created_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT invoiced_catch_up_owner CHECK ((task_id IS NULL) <> (run_id IS NULL)),
    CONSTRAINT invoiced_catch_up_status CHECK (status IN ('LISTED', 'POSTING', 'POSTED', 'FAILED', 'RESOLVED'))
);
CREATE UNIQUE INDEX invoiced_catch_up_task ON invoiced_catch_up (task_id, seq) WHERE task_id IS NOT NULL;
-- A month roll finds the same catch-up again only if it could not roll: keep it once.
CREATE UNIQUE INDEX invoiced_catch_up_roll ON invoiced_catch_up (partner_id, agreement_id, description) WHERE task_id IS NULL;
CREATE INDEX invoiced_catch_up_partner ON invoiced_catch_up (partner_id, status);
CREATE INDEX invoiced_catch_up_subscription ON invoiced_catch_up (partner_id, subscription_id);

-- R17a: what a line starting inside a billing period bills for that first period, per unit, as the
-- plan showed it (written to ConnectWise or not); tasks show it with their operations.
ALTER TABLE task_operation ADD COLUMN prorated JSONB;
