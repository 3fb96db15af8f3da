-- A valid event accepted with the eventId of a parked one resolves that row as RESENT in the statement that stores it
-- (ingest/ParkedEventRepository.resentOf): one probe of this small index per stored event.
CREATE INDEX parked_event_waiting ON parked_event (event_id) WHERE status = 'PARKED';
