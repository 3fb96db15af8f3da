package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sandbox's tables in the app's database, schema {@code cw_sandbox}. Created here rather than
 * by Flyway because the sandbox is a test double, not product schema, and must not exist in prod.
 * Records are {@code json}, not {@code jsonb}: json keeps the text as written (key order, 22.00),
 * so a restart answers byte for byte what was answered before.
 */
final class SandboxDatabase {

    record Contents(List<StoredRecord> records, Map<Resource, Integer> sequences) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    SandboxDatabase(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        // A private transaction manager: the app may define its own, and this one only spans sandbox writes.
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    void createSchema() {
        jdbc.execute("CREATE SCHEMA IF NOT EXISTS cw_sandbox");
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS cw_sandbox.record (
                    resource text NOT NULL,
                    id integer NOT NULL,
                    parent_id integer,
                    doc json NOT NULL,
                    invoiced_through date,
                    PRIMARY KEY (resource, id))""");
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS cw_sandbox.sequence (
                    resource text PRIMARY KEY,
                    last_id integer NOT NULL)""");
    }

    Contents load() {
        List<StoredRecord> records = new ArrayList<>();
        jdbc.query("SELECT resource, id, parent_id, doc::text AS doc, invoiced_through FROM cw_sandbox.record ORDER BY resource, id",
                rs -> {
                    Resource resource = Resource.byKey(rs.getString("resource"));
                    Integer parentId = (Integer) rs.getObject("parent_id");
                    ObjectNode doc = RecordShape.ordered(resource, (ObjectNode) SandboxJson.parse(rs.getString("doc")));
                    records.add(new StoredRecord(resource, rs.getInt("id"), parentId, doc,
                            rs.getObject("invoiced_through", LocalDate.class)));
                });
        Map<Resource, Integer> sequences = new EnumMap<>(Resource.class);
        jdbc.query("SELECT resource, last_id FROM cw_sandbox.sequence",
                rs -> {
                    sequences.put(Resource.byKey(rs.getString("resource")), rs.getInt("last_id"));
                });
        return new Contents(records, sequences);
    }

    /** Writes one call's changes in one transaction: all of them or none. */
    void apply(Collection<StoredRecord> upserts, Collection<StoredRecord.Key> deletes, Map<Resource, Integer> sequences) {
        tx.executeWithoutResult(status -> {
            if (!upserts.isEmpty()) {
                jdbc.batchUpdate("""
                        INSERT INTO cw_sandbox.record (resource, id, parent_id, doc, invoiced_through)
                        VALUES (?, ?, ?, ?::json, ?)
                        ON CONFLICT (resource, id) DO UPDATE SET parent_id = EXCLUDED.parent_id, doc = EXCLUDED.doc,
                            invoiced_through = EXCLUDED.invoiced_through""",
                        upserts.stream().map(r -> new Object[] {
                                r.resource().key(), r.id(), r.parentId(), SandboxJson.write(r.doc()), r.invoicedThrough()})
                                .toList(),
                        new int[] {Types.VARCHAR, Types.INTEGER, Types.INTEGER, Types.VARCHAR, Types.DATE});
            }
            if (!deletes.isEmpty()) {
                jdbc.batchUpdate("DELETE FROM cw_sandbox.record WHERE resource = ? AND id = ?",
                        deletes.stream().map(k -> new Object[] {k.resource().key(), k.id()}).toList());
            }
            sequences.forEach((resource, lastId) -> jdbc.update("""
                    INSERT INTO cw_sandbox.sequence (resource, last_id) VALUES (?, ?)
                    ON CONFLICT (resource) DO UPDATE SET last_id = EXCLUDED.last_id""", resource.key(), lastId));
        });
    }

    void clear() {
        tx.executeWithoutResult(status -> {
            jdbc.update("DELETE FROM cw_sandbox.record");
            jdbc.update("DELETE FROM cw_sandbox.sequence");
        });
    }
}
