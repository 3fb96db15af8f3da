-- R6 cut-over: a hand-made addition ended (or deleted, R22) at the agreement's next invoice date and
-- replaced by the bundle's own base line from that day. The row is written before anything is sent
-- to ConnectWise, with both writes planned (end_request / base_request, as task_operation keeps
-- them), and each step is marked when done: a cut-over interrupted between its two writes is
-- finished by the next PUT or at start-up, never left billing twice or dropping days.
CREATE TABLE subscription_cutover (
    partner_id        VARCHAR(100) NOT NULL,
    subscription_id   VARCHAR(100) NOT NULL,
    agreement_id      BIGINT       NOT NULL,
    ended_addition_id BIGINT       NOT NULL,
    hand_made_action  VARCHAR(10)  NOT NULL,          -- END, DELETE, KEEP (CutoverRule.HandMade)
    cut_on            DATE         NOT NULL,          -- first day of the bundle's base line
    line_key          VARCHAR(250) NOT NULL,          -- sub/BASE/<cut_on>
    base_request      JSONB        NOT NULL,          -- the planned CREATE of the base line
    end_request       JSONB,                          -- the planned UPDATE / DELETE of the hand-made one
    base_addition_id  BIGINT,                         -- set once the base line is in ConnectWise
    status            VARCHAR(10)  NOT NULL DEFAULT 'PLANNED', -- PLANNED, ENDED (deleted first), BASE_DONE, DONE
    original_cancelled DATE,                          -- the hand-made addition's cancelled date before
    requested_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    done_at           TIMESTAMPTZ,
    PRIMARY KEY (partner_id, subscription_id)
);

-- An ended hand-made addition is nobody's candidate again.
CREATE UNIQUE INDEX subscription_cutover_addition ON subscription_cutover (partner_id, ended_addition_id);
