package io.cwbridge.security;

import io.cwbridge.access.ConsoleRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Repository;

/** Table {@code console_user} (V24): its one writer. Passwords go in as bcrypt hashes, never as text. */
@Repository
public class ConsoleUserStore {

    /** A stored user, without its hash. */
    public record StoredUser(String username, ConsoleRole role, String partnerId) {}

    record Row(String username, String passwordHash, ConsoleRole role, String partnerId) {}

    private final NamedParameterJdbcTemplate jdbc;

    public ConsoleUserStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds the user or replaces its password, role and partner. */
    public void save(String username, String password, ConsoleRole role, String partnerId, PasswordEncoder encoder) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("u", username);
        params.put("h", encoder.encode(password));
        params.put("r", role.name());
        params.put("p", role == ConsoleRole.PARTNER ? partnerId : null);
        jdbc.update("INSERT INTO console_user (username, password_hash, role, partner_id) VALUES (:u, :h, :r, :p) "
                + "ON CONFLICT (username) DO UPDATE SET password_hash = :h, role = :r, partner_id = :p", params);
    }

    /** True when there was such a user. */
    public boolean remove(String username) {
        return jdbc.update("DELETE FROM console_user WHERE username = :u", Map.of("u", username)) > 0;
    }

    public List<StoredUser> list() {
        return jdbc.query("SELECT username, role, partner_id FROM console_user ORDER BY username", Map.of(),
                (rs, n) -> new StoredUser(rs.getString("username"), ConsoleRole.valueOf(rs.getString("role")), rs.getString("partner_id")));
    }

    Optional<Row> find(String username) {
        return jdbc.query("SELECT username, password_hash, role, partner_id FROM console_user WHERE username = :u",
                Map.of("u", username), (rs, n) -> new Row(rs.getString("username"), rs.getString("password_hash"),
                        ConsoleRole.valueOf(rs.getString("role")), rs.getString("partner_id"))).stream().findFirst();
    }
}
