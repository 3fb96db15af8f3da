-- Billing reconciliation (SPEC 6, R32): invoice lines in, one reconciliation per subscription and
-- billing month. Every status change is also written to reconciliation_status_change (V3).

-- Reseller (cost) and customer (price) invoice totals of one subscription for one billing month.
-- The natural key makes intake idempotent: a repeat of the same line changes nothing.
CREATE TABLE invoice_line (
    partner_id       VARCHAR(100)   NOT NULL,
    subscription_id  VARCHAR(100)   NOT NULL,
    period_start     DATE           NOT NULL,
    invoice_type     VARCHAR(10)    NOT NULL,
    invoice_number   VARCHAR(100)   NOT NULL,
    provider_id      INT            NOT NULL,
    kind             VARCHAR(10)    NOT NULL,
    quantity         NUMERIC(14, 4) NOT NULL,
    amount           NUMERIC(14, 2) NOT NULL,
    currency         VARCHAR(3)     NOT NULL,
    source           VARCHAR(10)    NOT NULL,
    received_at      TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, subscription_id, period_start, invoice_type)
);
CREATE INDEX invoice_line_period ON invoice_line (period_start, provider_id);

CREATE TABLE billing_reconciliation (
    reconciliation_id BIGSERIAL     PRIMARY KEY,
    partner_id       VARCHAR(100)   NOT NULL,
    subscription_id  VARCHAR(100)   NOT NULL,
    period_start     DATE           NOT NULL,
    period_end       DATE           NOT NULL,
    provider_id      INT            NOT NULL,
    kind             VARCHAR(10)    NOT NULL,
    status           VARCHAR(30)    NOT NULL,
    missing_invoice  VARCHAR(10),
    reason           TEXT,
    invoice_quantity NUMERIC(14, 4),
    invoice_cost     NUMERIC(14, 2),
    invoice_price    NUMERIC(14, 2),
    psa_quantity     NUMERIC(14, 4),
    psa_cost         NUMERIC(14, 2),
    psa_price        NUMERIC(14, 2),
    delta_cost       NUMERIC(14, 2),
    delta_price      NUMERIC(14, 2),
    agreement_id     BIGINT,
    catalog_item_id  BIGINT,
    addition_id      BIGINT,
    -- Set while an accept posts to ConnectWise, so two accepts at once post once.
    posting_since    TIMESTAMPTZ,
    checked_at       TIMESTAMPTZ    NOT NULL,
    updated_at       TIMESTAMPTZ    NOT NULL,
    UNIQUE (partner_id, subscription_id, period_start)
);
CREATE INDEX billing_reconciliation_partner_period ON billing_reconciliation (partner_id, period_start, status);
