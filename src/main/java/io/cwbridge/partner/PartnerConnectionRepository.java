package io.cwbridge.partner;

import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.security.SecretCipher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Partner connections in PostgreSQL; keys are encrypted before they leave this class. */
@Repository
public class PartnerConnectionRepository {

    private final NamedParameterJdbcTemplate jdbc;
    private final SecretCipher cipher;

    public PartnerConnectionRepository(NamedParameterJdbcTemplate jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    public void save(String partnerId, ConnectWiseConnection c) {
        jdbc.update("""
                INSERT INTO partner_connection (partner_id, api_url, codebase, company_id, public_key_enc, private_key_enc, client_id)
                VALUES (:partnerId, :apiUrl, :codebase, :companyId, :publicKey, :privateKey, :clientId)
                ON CONFLICT (partner_id) DO UPDATE SET api_url = EXCLUDED.api_url, codebase = EXCLUDED.codebase,
                    company_id = EXCLUDED.company_id, public_key_enc = EXCLUDED.public_key_enc,
                    private_key_enc = EXCLUDED.private_key_enc, client_id = EXCLUDED.client_id,
                    updated_at = now(), last_test_at = NULL, last_test_ok = NULL
                """, Map.of(
                "partnerId", partnerId,
                "apiUrl", c.apiUrl(),
                "codebase", c.codebase(),
                "companyId", c.companyId(),
                "publicKey", cipher.encrypt(c.publicKey(), context(partnerId, "publicKey")),
                "privateKey", cipher.encrypt(c.privateKey(), context(partnerId, "privateKey")),
                "clientId", c.clientId()));
    }

    public Optional<ConnectWiseConnection> find(String partnerId) {
        return jdbc.query("SELECT * FROM partner_connection WHERE partner_id = :partnerId", Map.of("partnerId", partnerId),
                (rs, n) -> new ConnectWiseConnection(
                        rs.getString("api_url"),
                        rs.getString("codebase"),
                        rs.getString("company_id"),
                        cipher.decrypt(rs.getString("public_key_enc"), context(partnerId, "publicKey")),
                        cipher.decrypt(rs.getString("private_key_enc"), context(partnerId, "privateKey")),
                        rs.getString("client_id"))).stream().findFirst();
    }

    /** Whether the partner has a stored connection: input for an unknown partner is refused (SPEC 2). */
    public boolean exists(String partnerId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM partner_connection WHERE partner_id = :partnerId)",
                Map.of("partnerId", partnerId), Boolean.class));
    }

    /** Every partner with a stored connection, in id order. */
    public List<String> partnerIds() {
        return jdbc.queryForList("SELECT partner_id FROM partner_connection ORDER BY partner_id", Map.of(), String.class);
    }

    /** What may be shown of a connection: everything but the keys. */
    public Optional<ConnectionView> view(String partnerId) {
        return jdbc.query("SELECT * FROM partner_connection WHERE partner_id = :partnerId", Map.of("partnerId", partnerId),
                (rs, n) -> new ConnectionView(partnerId, rs.getString("api_url"), rs.getString("codebase"),
                        rs.getString("company_id"), rs.getString("client_id"), true, true,
                        rs.getTimestamp("updated_at").toInstant(),
                        rs.getTimestamp("last_test_at") == null ? null : rs.getTimestamp("last_test_at").toInstant(),
                        (Boolean) rs.getObject("last_test_ok"))).stream().findFirst();
    }

    public void recordTest(String partnerId, boolean ok) {
        jdbc.update("UPDATE partner_connection SET last_test_at = now(), last_test_ok = :ok WHERE partner_id = :partnerId",
                Map.of("partnerId", partnerId, "ok", ok));
    }

    /** Binds each ciphertext to its partner and field, so values cannot be swapped between rows. */
    private static String context(String partnerId, String field) {
        return "partner_connection:" + partnerId + ":" + field;
    }
}
