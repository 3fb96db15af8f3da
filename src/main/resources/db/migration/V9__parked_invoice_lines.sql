-- Invalid invoice lines (R32) are kept for fix-and-replay like invalid subscription events:
-- the parked rows say which kind of input they hold, and a replay goes back to that intake.
ALTER TABLE parked_event ADD COLUMN kind VARCHAR(20) NOT NULL DEFAULT 'SUBSCRIPTION_EVENT';
CREATE INDEX parked_event_kind ON parked_event (kind, status, parked_at);
