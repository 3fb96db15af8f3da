package io.cwbridge.approval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Issues and checks the approve links of the approval mail (R35), table {@code approval_link}.
 *
 * <p>A link is {@code <base-url>/mail/approvals/<token>}, the token {@code <id>.<signature>}: a random
 * id naming the row that records what the link approves (one task, or every task the mail listed),
 * and the HMAC-SHA256 ({@link ApprovalLinkKey}) of that id with the row's partner, scope, tasks and
 * expiry. A changed id or signature, or a row that does not match its signature, is refused.
 * Expiry is judged by the bundle's clock; single use by setting {@code used_at} once, atomically.
 */
@Component
public class ApprovalLinks {

    public static final String PATH = "/mail/approvals/";
    private static final Pattern TOKEN = Pattern.compile("([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final NamedParameterJdbcTemplate jdbc;
    private final ApprovalLinkKey key;
    private final ApprovalLinkProperties properties;
    private final Clock clock;
    private final Environment env;
    private final SecureRandom random = new SecureRandom();

    public ApprovalLinks(NamedParameterJdbcTemplate jdbc, ApprovalLinkKey key, ApprovalLinkProperties properties, Clock clock,
            Environment env) {
        this.jdbc = jdbc;
        this.key = key;
        this.properties = properties;
        this.clock = clock;
        this.env = env;
    }

    /** What a link approves: one task, or all the tasks its mail listed. */
    public enum Scope { TASK, ALL }

    /** A link's row, once its signature checked out. */
    public record Link(String tokenId, String partnerId, Scope scope, List<Long> taskIds, Instant issuedAt, Instant expiresAt,
            Instant usedAt, String result) {}

    /** How a presented token stands; {@code link} is null for INVALID. */
    public record Check(State state, Link link) {}

    public enum State { VALID, USED, EXPIRED, INVALID }

    public boolean enabled() {
        return key.present();
    }

    public Instant expiry(Instant issuedAt) {
        return issuedAt.plus(properties.approvalLinkTtl());
    }

    /** A new link for these tasks of the partner, valid until {@code expiresAt}; empty without a key. */
    public Optional<String> issue(String partnerId, Scope scope, List<Long> taskIds, Instant issuedAt, Instant expiresAt) {
        if (!key.present()) return Optional.empty();
        byte[] id = new byte[16];
        random.nextBytes(id);
        String tokenId = B64.encodeToString(id);
        Map<String, Object> row = new HashMap<>();
        row.put("id", tokenId);
        row.put("p", partnerId);
        row.put("scope", scope.name());
        // A PostgreSQL array literal: a Java array would be expanded into a list of parameters.
        row.put("ids", taskIds.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}")));
        row.put("issued", Timestamp.from(issuedAt));
        row.put("expires", Timestamp.from(expiresAt));
        jdbc.update("""
                INSERT INTO approval_link (token_id, partner_id, scope, task_ids, issued_at, expires_at)
                VALUES (:id, :p, :scope, CAST(:ids AS BIGINT[]), :issued, :expires)""", row);
        String signature = B64.encodeToString(key.sign(signed(tokenId, partnerId, scope, taskIds, expiresAt)).orElseThrow());
        return Optional.of(baseUrl() + PATH + tokenId + "." + signature);
    }

    /** Where the recipients reach the bundle: the configured base URL, else this server on localhost. */
    public String baseUrl() {
        String configured = properties.baseUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.strip().replaceAll("/+$", "");
        }
        return "http://localhost:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    }

    /** Reads the link a token names and says whether it may still be used; changes nothing. */
    public Check check(String token) {
        Optional<Link> link = verified(token);
        if (link.isEmpty()) return new Check(State.INVALID, null);
        Link l = link.get();
        if (l.usedAt() != null) return new Check(State.USED, l);
        if (!clock.instant().isBefore(l.expiresAt())) return new Check(State.EXPIRED, l);
        return new Check(State.VALID, l);
    }

    /**
     * Uses the link: true for exactly one caller, and only while it is unused and unexpired (by the
     * bundle's clock). The caller then approves and records {@link #result}.
     */
    public boolean use(Link link) {
        Instant now = clock.instant();
        return jdbc.update("""
                UPDATE approval_link SET used_at = :now
                WHERE token_id = :id AND used_at IS NULL AND expires_at > :now""",
                Map.of("id", link.tokenId(), "now", Timestamp.from(now))) == 1;
    }

    /** What using the link did, shown when it is opened again. */
    public void result(Link link, String result) {
        jdbc.update("UPDATE approval_link SET result = :r WHERE token_id = :id", Map.of("id", link.tokenId(), "r", result));
    }

    private Optional<Link> verified(String token) {
        if (token == null || !key.present()) return Optional.empty();
        var m = TOKEN.matcher(token);
        if (!m.matches()) return Optional.empty();
        List<Link> rows = jdbc.query("""
                SELECT token_id, partner_id, scope, task_ids, issued_at, expires_at, used_at, result
                FROM approval_link WHERE token_id = :id""", Map.of("id", m.group(1)), (rs, i) -> {
            Array ids = rs.getArray("task_ids");
            List<Long> taskIds = Arrays.stream((Long[]) ids.getArray()).toList();
            Timestamp used = rs.getTimestamp("used_at");
            return new Link(rs.getString("token_id"), rs.getString("partner_id"), Scope.valueOf(rs.getString("scope")), taskIds,
                    rs.getTimestamp("issued_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                    used == null ? null : used.toInstant(), rs.getString("result"));
        });
        if (rows.isEmpty()) return Optional.empty();
        Link link = rows.get(0);
        String expected = B64.encodeToString(
                key.sign(signed(link.tokenId(), link.partnerId(), link.scope(), link.taskIds(), link.expiresAt())).orElseThrow());
        // The text, not the decoded bytes: the last base64 character has bits a decoder ignores, so a changed
        // character could decode to the same signature. Constant time: a comparison must not tell how much of
        // a guessed signature is right.
        return MessageDigest.isEqual(m.group(2).getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII))
                ? Optional.of(link) : Optional.empty();
    }

    private static String signed(String tokenId, String partnerId, Scope scope, List<Long> taskIds, Instant expiresAt) {
        return "cwbridge-approval-v1|" + tokenId + "|" + partnerId + "|" + scope + "|"
                + taskIds.stream().map(String::valueOf).collect(Collectors.joining(",")) + "|" + expiresAt.getEpochSecond();
    }
}
