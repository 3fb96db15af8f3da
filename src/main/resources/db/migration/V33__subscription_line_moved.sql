-- R8 x R32 / R34: the lines a subscription left on its old agreement when it moved (sync/SubscriptionLineRepository
-- retires them from subscription_line, whose lines the rules plan with). They ended the day before the move and
-- still bill the days before it, so the billing reconciliation and the three-way check read them as what
-- ConnectWise billed; nothing edits them again.
CREATE TABLE subscription_line_moved (
    partner_id      VARCHAR(100) NOT NULL,
    subscription_id VARCHAR(100) NOT NULL,
    line_key        VARCHAR(250) NOT NULL,
    agreement_id    BIGINT       NOT NULL,
    addition_id     BIGINT       NOT NULL,
    moved_on        DATE         NOT NULL,
    moved_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, addition_id)
);
CREATE INDEX subscription_line_moved_subscription ON subscription_line_moved (partner_id, subscription_id);
