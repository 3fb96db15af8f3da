-- Console users kept in the database (issue 16; read in prod with cwbridge.console.database-users).
-- Written only by io.cwbridge.security.ConsoleUserStore. password_hash is Spring Security's
-- delegating form ({bcrypt}...): the password itself is never stored.
CREATE TABLE console_user (
    username      VARCHAR(100) PRIMARY KEY,
    password_hash VARCHAR(200) NOT NULL,
    role          VARCHAR(20)  NOT NULL CHECK (role IN ('OPERATOR', 'PARTNER')),
    partner_id    VARCHAR(100),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CHECK ((role = 'PARTNER') = (partner_id IS NOT NULL))
);

-- Found by the partner access test (every partner endpoint for its own partner, never a 5xx): a partner
-- whose connection was removed stays known, but saving its notification settings broke on V6's foreign
-- key to partner_connection (and removing a connection cascaded them away, though they are meant to
-- outlive it). They belong to the partner (V21).
ALTER TABLE notification_settings DROP CONSTRAINT IF EXISTS notification_settings_partner_id_fkey;
ALTER TABLE notification_settings ADD CONSTRAINT notification_settings_partner_fk
    FOREIGN KEY (partner_id) REFERENCES partner (partner_id) ON DELETE CASCADE;
