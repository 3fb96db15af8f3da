-- Keeps an invalid event with its raw text and field-level reasons, for fix-and-replay.
INSERT INTO parked_event (source, raw_payload, reasons, partner_id, event_id)
VALUES (:#source, :#rawPayload, CAST(:#eventProblems AS jsonb), :#partnerId, :#eventId)
RETURNING parked_id
