-- The partners themselves, apart from their ConnectWise connection (SPEC 7 v2): a connection can be
-- removed while the partner, its mappings, tasks and logs stay. Every partner so far had a connection.
CREATE TABLE partner (
    partner_id  VARCHAR(100) PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

INSERT INTO partner (partner_id, name, created_at)
SELECT partner_id, partner_id, created_at FROM partner_connection;

ALTER TABLE partner_connection
    ADD CONSTRAINT partner_connection_partner_fk FOREIGN KEY (partner_id) REFERENCES partner (partner_id);
