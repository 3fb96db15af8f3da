-- A partner (reseller/MSP) owns one ConnectWise connection (SPEC 7).
-- Keys are stored AES-GCM encrypted (see SecretCipher); nothing here is readable without the master key.
CREATE TABLE partner_connection (
    partner_id         VARCHAR(100) PRIMARY KEY,
    api_url            VARCHAR(500) NOT NULL,
    codebase           VARCHAR(100) NOT NULL,
    company_id         VARCHAR(100) NOT NULL,
    public_key_enc     TEXT         NOT NULL,
    private_key_enc    TEXT         NOT NULL,
    client_id          VARCHAR(100) NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_test_at       TIMESTAMPTZ,
    last_test_ok       BOOLEAN
);
