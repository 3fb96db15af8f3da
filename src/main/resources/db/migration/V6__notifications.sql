-- Notifications (R33): per partner settings and the daily digests already sent.

-- Off by default: a partner without a row gets no mail. Recipients are checked e-mail addresses.
CREATE TABLE notification_settings (
    partner_id                 VARCHAR(100) PRIMARY KEY REFERENCES partner_connection (partner_id) ON DELETE CASCADE,
    enabled                    BOOLEAN      NOT NULL DEFAULT FALSE,
    recipients                 JSONB        NOT NULL DEFAULT '[]'::jsonb,
    service_mapping_digest     BOOLEAN      NOT NULL DEFAULT TRUE,
    reconciliation_digest      BOOLEAN      NOT NULL DEFAULT TRUE,
    updated_at                 TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- One row per partner, digest and day: the unique key is what keeps a digest from going out twice
-- when the trigger fires twice or on two instances. A run claims the row (SENDING) before it
-- sends; SENT is final; FAILED (or a SENDING claim left behind by a crash) may be claimed again.
CREATE TABLE notification_digest (
    digest_id        BIGSERIAL    PRIMARY KEY,
    partner_id       VARCHAR(100) NOT NULL,
    digest           VARCHAR(40)  NOT NULL,
    digest_day       DATE         NOT NULL,
    status           VARCHAR(10)  NOT NULL,
    recipients       JSONB        NOT NULL,
    row_count        INT          NOT NULL,
    attempts         INT          NOT NULL DEFAULT 1,
    reason           TEXT,
    claimed_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    sent_at          TIMESTAMPTZ,
    CONSTRAINT notification_digest_once UNIQUE (partner_id, digest, digest_day)
);
