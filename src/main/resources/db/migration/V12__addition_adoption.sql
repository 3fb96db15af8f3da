-- R6: an existing (hand-made) ConnectWise addition taken over as a subscription's base line.
-- The line itself is recorded in subscription_line like any line the bundle wrote (line_key
-- sub/BASE/<effective date>), so the rules find the base line and never create a second one;
-- this table remembers that the line was adopted (unmap forgets it, replace swaps it) and what
-- the addition said before the bundle patched it.
CREATE TABLE subscription_adoption (
    partner_id            VARCHAR(100) NOT NULL,
    subscription_id       VARCHAR(100) NOT NULL,
    agreement_id          BIGINT       NOT NULL,
    addition_id           BIGINT       NOT NULL,
    line_key              VARCHAR(250) NOT NULL,
    description           TEXT,
    effective_date        DATE         NOT NULL,
    original_description  TEXT,
    original_effective    DATE,
    adopted_at            TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, subscription_id)
);

-- One addition is the base line of one subscription at most.
CREATE UNIQUE INDEX subscription_adoption_addition ON subscription_adoption (partner_id, addition_id);

-- Who owns an addition: asked for every adoption and candidate list.
CREATE INDEX IF NOT EXISTS subscription_line_addition ON subscription_line (partner_id, addition_id);
