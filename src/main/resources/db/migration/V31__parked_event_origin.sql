-- Where a parked Kafka record came from (topic/partition/offset#index in the record): with the intake's
-- asynchronous offset commits (issue 14) a lost commit makes the consumer poll a parked record again, and
-- it must not be parked twice. HTTP input has no origin and is parked as often as it is sent.
ALTER TABLE parked_event ADD COLUMN origin VARCHAR(300);
CREATE UNIQUE INDEX parked_event_origin ON parked_event (origin) WHERE origin IS NOT NULL;
