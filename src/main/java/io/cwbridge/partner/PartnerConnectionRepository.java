package io.cwbridge.partner;

import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.secrets.SecretCipher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Partners and their connections in PostgreSQL; keys are encrypted before they leave this class.
 * A partner exists from its first saved connection on and stays when the connection is removed.
 */
@Repository
public class PartnerConnectionRepository implements io.cwbridge.connectwise.PartnerConnections {

    /**
     * How long a connection read here is used without reading it again (issue 14: each sync read it two or three
     * times). A save or removal on this instance drops it at once; one on another instance shows within this time.
     */
    static final long CACHED_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    private record Cached(ConnectWiseConnection connection, long readAt) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final SecretCipher cipher;
    /** Stored connections only (an absent one is read again each time, so one saved elsewhere is seen at once). */
    private final java.util.concurrent.ConcurrentMap<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * When {@link #exists} last found a partner's connection (issue 14: the intake asked the database for every event
     * when no sync had read the connection lately). Only found ones, kept and dropped as {@link #cache}.
     */
    private final java.util.concurrent.ConcurrentMap<String, Long> existsAt = new java.util.concurrent.ConcurrentHashMap<>();

    public PartnerConnectionRepository(NamedParameterJdbcTemplate jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    @Transactional
    public void save(String partnerId, ConnectWiseConnection c) {
        save(partnerId, c, null);
    }

    /** Saves the connection, registering the partner first; {@code name} (optional) renames it. */
    @Transactional
    public void save(String partnerId, ConnectWiseConnection c, String name) {
        forget(partnerId);
        jdbc.update("""
                INSERT INTO partner (partner_id, name) VALUES (:partnerId, COALESCE(:name, :partnerId))
                ON CONFLICT (partner_id) DO UPDATE SET name = COALESCE(:name, partner.name)
                """, new MapSqlParameterSource("partnerId", partnerId).addValue("name", name));
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

    @Override
    public Optional<ConnectWiseConnection> find(String partnerId) {
        Cached cached = cache.get(partnerId);
        if (cached != null && System.nanoTime() - cached.readAt() < CACHED_NANOS) return Optional.of(cached.connection());
        long readAt = System.nanoTime();
        Optional<ConnectWiseConnection> found = read(partnerId);
        found.ifPresentOrElse(c -> cache.put(partnerId, new Cached(c, readAt)), () -> cache.remove(partnerId));
        return found;
    }

    private Optional<ConnectWiseConnection> read(String partnerId) {
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
        long now = System.nanoTime();
        Cached cached = cache.get(partnerId);
        if (cached != null && now - cached.readAt() < CACHED_NANOS) return true;
        Long found = existsAt.get(partnerId);
        if (found != null && now - found < CACHED_NANOS) return true;
        boolean exists = Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM partner_connection WHERE partner_id = :partnerId)",
                Map.of("partnerId", partnerId), Boolean.class));
        if (exists) existsAt.put(partnerId, now);
        else existsAt.remove(partnerId);
        return exists;
    }

    /** Whether the partner is known at all (with or without a connection): every partner endpoint asks this. */
    public boolean known(String partnerId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM partner WHERE partner_id = :partnerId)",
                Map.of("partnerId", partnerId), Boolean.class));
    }

    /**
     * Removes the partner's connection: the row with its encrypted keys is deleted, so nothing of them
     * stays in the table. The partner and its data stay. False when it had no connection.
     */
    public boolean remove(String partnerId) {
        forget(partnerId);
        return jdbc.update("DELETE FROM partner_connection WHERE partner_id = :partnerId", Map.of("partnerId", partnerId)) > 0;
    }

    /** Every known partner in id order, with whether it has a connection; never a key. */
    public List<PartnerSummary> partners() {
        return jdbc.query("""
                SELECT p.partner_id, p.name, c.partner_id IS NOT NULL AS configured, c.company_id
                FROM partner p LEFT JOIN partner_connection c ON c.partner_id = p.partner_id
                ORDER BY p.partner_id
                """, Map.of(), (rs, n) -> new PartnerSummary(rs.getString("partner_id"), rs.getString("name"),
                rs.getBoolean("configured"), rs.getString("company_id")));
    }

    /** Every partner with a stored connection, in id order. */
    public List<String> partnerIds() {
        return jdbc.queryForList("SELECT partner_id FROM partner_connection ORDER BY partner_id", Map.of(), String.class);
    }

    /** What may be shown of a connection: everything but the keys. */
    public Optional<ConnectionView> view(String partnerId) {
        return jdbc.query("SELECT * FROM partner_connection WHERE partner_id = :partnerId", Map.of("partnerId", partnerId),
                (rs, n) -> new ConnectionView(partnerId,
                        // SPEC 7: a site URL stored with user-info before the PUT refused it is shown without it
                        ConnectWiseConnection.withoutUserInfo(rs.getString("api_url")), rs.getString("codebase"),
                        rs.getString("company_id"), rs.getString("client_id"), true, true,
                        rs.getTimestamp("updated_at").toInstant(),
                        rs.getTimestamp("last_test_at") == null ? null : rs.getTimestamp("last_test_at").toInstant(),
                        (Boolean) rs.getObject("last_test_ok"))).stream().findFirst();
    }

    public void recordTest(String partnerId, boolean ok) {
        jdbc.update("UPDATE partner_connection SET last_test_at = now(), last_test_ok = :ok WHERE partner_id = :partnerId",
                Map.of("partnerId", partnerId, "ok", ok));
    }

    /** Drops the cached connection now and again once the caller's transaction ends (a read meanwhile saw the old row). */
    private void forget(String partnerId) {
        cache.remove(partnerId);
        existsAt.remove(partnerId);
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCompletion(int status) {
                            cache.remove(partnerId);
                            existsAt.remove(partnerId);
                        }
                    });
        }
    }

    /** Binds each ciphertext to its partner and field, so values cannot be swapped between rows. */
    private static String context(String partnerId, String field) {
        return "partner_connection:" + partnerId + ":" + field;
    }
}
