-- Subscription event pipeline (SPEC 2, 3, 8.1, 8.2).

-- Every accepted event, once: the primary key is the idempotency guard shared by all instances.
CREATE TABLE subscription_event (
    event_id         VARCHAR(100) PRIMARY KEY,
    partner_id       VARCHAR(100) NOT NULL,
    subscription_id  VARCHAR(100) NOT NULL,
    type             VARCHAR(30)  NOT NULL,
    action           VARCHAR(30)  NOT NULL,
    occurred_at      TIMESTAMPTZ  NOT NULL,
    payload          JSONB        NOT NULL,
    source           VARCHAR(10)  NOT NULL,
    received_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- One task per accepted event: PENDING -> SYNCED | FAILED (reason) | NEEDS_MAPPING.
CREATE TABLE sync_task (
    task_id          BIGSERIAL    PRIMARY KEY,
    event_id         VARCHAR(100) NOT NULL UNIQUE REFERENCES subscription_event (event_id),
    partner_id       VARCHAR(100) NOT NULL,
    subscription_id  VARCHAR(100) NOT NULL,
    type             VARCHAR(30)  NOT NULL,
    action           VARCHAR(30)  NOT NULL,
    occurred_at      TIMESTAMPTZ  NOT NULL,
    status           VARCHAR(20)  NOT NULL,
    reason           TEXT,
    attempts         INT          NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    synced_at        TIMESTAMPTZ
);
CREATE INDEX sync_task_partner_status ON sync_task (partner_id, status);
-- Tasks of one subscription are applied in the order their changes happened.
CREATE INDEX sync_task_subscription ON sync_task (partner_id, subscription_id, occurred_at, task_id);

-- The ConnectWise operations a task planned and which of them are done, so a retry after a
-- failure part-way completes the rest without repeating any.
CREATE TABLE task_operation (
    task_id          BIGINT       NOT NULL REFERENCES sync_task (task_id),
    seq              INT          NOT NULL,
    kind             VARCHAR(10)  NOT NULL,
    line_key         VARCHAR(250) NOT NULL,
    agreement_id     BIGINT       NOT NULL,
    addition_id      BIGINT,
    reason           TEXT         NOT NULL,
    request          JSONB        NOT NULL,
    status           VARCHAR(10)  NOT NULL DEFAULT 'PLANNED',
    done_at          TIMESTAMPTZ,
    PRIMARY KEY (task_id, seq)
);

-- Events that failed validation, kept with their raw text and reasons for fix-and-replay.
CREATE TABLE parked_event (
    parked_id        BIGSERIAL    PRIMARY KEY,
    source           VARCHAR(10)  NOT NULL,
    raw_payload      TEXT         NOT NULL,
    reasons          JSONB        NOT NULL,
    partner_id       VARCHAR(100),
    event_id         VARCHAR(100),
    status           VARCHAR(12)  NOT NULL DEFAULT 'PARKED',
    parked_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    resolved_at      TIMESTAMPTZ,
    replayed_event_id VARCHAR(100)
);
CREATE INDEX parked_event_status ON parked_event (status, parked_at);

-- Mappings (SPEC 3): customer -> company, product -> catalog item, subscription -> agreement.
CREATE TABLE customer_mapping (
    partner_id       VARCHAR(100) NOT NULL,
    customer_id      VARCHAR(100) NOT NULL,
    company_id       BIGINT       NOT NULL,
    mapped_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, customer_id)
);

CREATE TABLE product_mapping (
    partner_id       VARCHAR(100) NOT NULL,
    product_id       VARCHAR(100) NOT NULL,
    catalog_item_id  BIGINT       NOT NULL,
    mapped_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, product_id)
);

CREATE TABLE subscription_mapping (
    partner_id       VARCHAR(100) NOT NULL,
    subscription_id  VARCHAR(100) NOT NULL,
    agreement_id     BIGINT       NOT NULL,
    from_date        DATE,
    mapped_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, subscription_id)
);

-- Which ConnectWise addition holds which line of a subscription (base line, delta line per
-- effective date, usage, upgrade, ...). ConnectWise stays the source of truth for the values.
CREATE TABLE subscription_line (
    partner_id       VARCHAR(100) NOT NULL,
    subscription_id  VARCHAR(100) NOT NULL,
    line_key         VARCHAR(250) NOT NULL,
    agreement_id     BIGINT       NOT NULL,
    addition_id      BIGINT       NOT NULL,
    created_by_task  BIGINT,
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, subscription_id, line_key)
);

-- Global sync rules per partner (SPEC 4), as JSON so new options need no migration.
CREATE TABLE sync_rules (
    partner_id       VARCHAR(100) PRIMARY KEY,
    rules            JSONB        NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);
