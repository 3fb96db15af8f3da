-- Mapping workbench (SPEC 3, issue 4).

-- Subscriptions the partner imported before any event named them (SPEC 8.1 subscription shape),
-- so the initial mapping can be done for the whole existing book of business.
CREATE TABLE imported_subscription (
    partner_id       VARCHAR(100) NOT NULL,
    subscription_id  VARCHAR(100) NOT NULL,
    payload          JSONB        NOT NULL,
    imported_at      TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (partner_id, subscription_id)
);

-- The last failed attempt to map an item (auto-map, create in ConnectWise): status FAILED with
-- the reason until the item is mapped.
CREATE TABLE mapping_failure (
    partner_id       VARCHAR(100) NOT NULL,
    kind             VARCHAR(20)  NOT NULL,
    item_id          VARCHAR(100) NOT NULL,
    reason           TEXT         NOT NULL,
    failed_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, kind, item_id)
);

-- A subscription the user unmapped: the R4 default agreement must not map it again silently,
-- otherwise an unmapped subscription would keep being updated.
CREATE TABLE subscription_unmapped (
    partner_id       VARCHAR(100) NOT NULL,
    subscription_id  VARCHAR(100) NOT NULL,
    unmapped_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, subscription_id)
);

-- Product default rules (R3): custom rules in priority order (lowest first), first match wins;
-- the rule marked default applies when none matches.
CREATE TABLE product_default_rule (
    rule_id          BIGSERIAL    PRIMARY KEY,
    partner_id       VARCHAR(100) NOT NULL,
    name             VARCHAR(100) NOT NULL,
    priority         INT          NOT NULL,
    default_rule     BOOLEAN      NOT NULL DEFAULT false,
    conditions       JSONB        NOT NULL,
    category         VARCHAR(100) NOT NULL,
    subcategory      VARCHAR(100) NOT NULL,
    item_type        VARCHAR(100) NOT NULL,
    product_class    VARCHAR(20),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX product_default_rule_partner ON product_default_rule (partner_id, priority);
CREATE UNIQUE INDEX product_default_rule_one_default ON product_default_rule (partner_id) WHERE default_rule;
