-- Issue 14 (SQL per event). A plan is stored in one statement (sync/TaskOperations.persist) instead of a
-- transaction that first took an advisory lock per subscription. Optimistic instead: the task's rows
-- (sync/SubscriptionSync) read each subscription's version with its lines; storing a plan moves the version of
-- every subscription it touches on by one, only where it is still the one read (the upsert's row lock makes a
-- concurrent store wait, then see the new version), so two plans are never both stored from the same lines.
CREATE TABLE subscription_plan_version (
    partner_id      VARCHAR(100) NOT NULL,
    subscription_id VARCHAR(100) NOT NULL,
    version         BIGINT       NOT NULL,
    PRIMARY KEY (partner_id, subscription_id)
);

-- Issue 14: a take of the shared ConnectWise budget (connectwise/PostgresTenantBudgets) may draw several tokens,
-- spent by the instance that drew them within a second; granted is how many the last take drew (0: paused).
ALTER TABLE connectwise_rate_bucket ADD COLUMN granted INTEGER NOT NULL DEFAULT 1;
