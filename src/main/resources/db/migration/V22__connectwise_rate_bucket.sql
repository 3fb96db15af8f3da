-- Each ConnectWise tenant's request budget, shared by every instance of the bundle (issue 14): a
-- token bucket refilled from the time elapsed since refilled_at, taken from by one atomic upsert
-- (connectwise/PostgresTenantBudgets). tokens below 0 are reservations of callers still waiting.
-- paused_until / throttles: the tenant-wide pause after a 429 and the streak of consecutive 429s.
CREATE TABLE connectwise_rate_bucket (
    tenant_key   TEXT PRIMARY KEY,
    tokens       DOUBLE PRECISION NOT NULL,
    refilled_at  TIMESTAMPTZ NOT NULL,
    paused_until TIMESTAMPTZ,
    throttles    INTEGER NOT NULL DEFAULT 0
);
