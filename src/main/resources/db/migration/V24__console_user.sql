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
