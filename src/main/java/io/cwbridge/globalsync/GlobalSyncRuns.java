package io.cwbridge.globalsync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Global sync runs and their reports in table {@code global_sync_run}. */
@Repository
public class GlobalSyncRuns {

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public GlobalSyncRuns(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    long start(String partnerId, String trigger, Instant startedAt) {
        return jdbc.queryForObject("""
                INSERT INTO global_sync_run (partner_id, trigger, status, started_at)
                VALUES (:p, :t, 'RUNNING', :s) RETURNING run_id""",
                Map.of("p", partnerId, "t", trigger, "s", Timestamp.from(startedAt)), Long.class);
    }

    void finish(GlobalSyncReport report) {
        Map<String, Object> params = new HashMap<>();
        params.put("r", report.runId());
        params.put("status", report.status());
        params.put("f", Timestamp.from(report.finishedAt()));
        params.put("report", write(report));
        jdbc.update("UPDATE global_sync_run SET status = :status, finished_at = :f, report = CAST(:report AS jsonb) WHERE run_id = :r",
                params);
    }

    /** The partner's latest finished runs, newest first. */
    public List<GlobalSyncReport> latest(String partnerId, int limit) {
        return jdbc.queryForList("""
                SELECT report::text FROM global_sync_run WHERE partner_id = :p AND report IS NOT NULL
                ORDER BY run_id DESC LIMIT :n""", Map.of("p", partnerId, "n", limit), String.class)
                .stream().map(this::read).toList();
    }

    private String write(GlobalSyncReport report) {
        try {
            return mapper.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private GlobalSyncReport read(String json) {
        try {
            return mapper.readValue(json, GlobalSyncReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("global_sync_run.report cannot be read", e);
        }
    }
}
