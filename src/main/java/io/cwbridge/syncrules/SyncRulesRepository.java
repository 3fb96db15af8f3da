package io.cwbridge.syncrules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.rules.SyncRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * A partner's sync rules in table {@code sync_rules} (one jsonb document per partner, field names
 * as in the API). The pipeline asks {@link #additionRules(String)}; a partner that never saved
 * rules gets the SPEC §4 defaults, and so does any rule a stored document lacks.
 */
@Repository
public class SyncRulesRepository {

    private static final Logger log = LoggerFactory.getLogger(SyncRulesRepository.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final org.springframework.context.ApplicationEventPublisher events;

    public SyncRulesRepository(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper,
                               org.springframework.context.ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.events = events;
    }

    /** The partner's rules; the defaults when none are stored. */
    public PartnerSyncRules find(String partnerId) {
        List<String> stored = jdbc.queryForList("SELECT rules::text FROM sync_rules WHERE partner_id = :partnerId",
                Map.of("partnerId", partnerId), String.class);
        return stored.isEmpty() ? PartnerSyncRules.defaults() : parse(partnerId, stored.get(0));
    }

    /**
     * How long another instance's save may go unseen by {@link #taskSync} (as the partner connection cache,
     * {@code partner/PartnerConnectionRepository}); a save on this instance is seen at once.
     */
    static final long TASK_SYNC_CACHED_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    private record CachedTaskSync(TaskSync taskSync, long readAt) {}

    private final java.util.concurrent.ConcurrentMap<String, CachedTaskSync> taskSyncs = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The partner's task sync rule (R31) for each hand-over of a subscription (route {@code subscription-sync}),
     * kept in memory per partner (issue 14: no read per event): dropped when this instance saves the partner's rules,
     * read again after {@link #TASK_SYNC_CACHED_NANOS} for a save on another instance.
     */
    public TaskSync taskSync(String partnerId) {
        CachedTaskSync cached = taskSyncs.get(partnerId);
        long now = System.nanoTime();
        if (cached != null && now - cached.readAt() < TASK_SYNC_CACHED_NANOS) return cached.taskSync();
        TaskSync read = find(partnerId).taskSync();
        taskSyncs.put(partnerId, new CachedTaskSync(read, now));
        return read;
    }

    /** Drops the kept task sync now and once the caller's transaction ends (a read meanwhile may have seen the old row). */
    private void forget(String partnerId) {
        taskSyncs.remove(partnerId);
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCompletion(int status) {
                            taskSyncs.remove(partnerId);
                        }
                    });
        }
    }

    /** The view the addition rules read (R11–R26), for the event pipeline. */
    public SyncRules additionRules(String partnerId) {
        return find(partnerId).additionRules();
    }

    /**
     * Reads a stored rules document, e.g. the {@code sync_rules} column a pipeline query selected
     * as text; null means nothing stored (the defaults).
     */
    public PartnerSyncRules parse(String partnerId, String storedJson) {
        if (storedJson == null || storedJson.isBlank()) {
            return PartnerSyncRules.defaults();
        }
        JsonNode stored;
        try {
            stored = mapper.readTree(storedJson);
        } catch (JsonProcessingException e) {
            log.warn("Stored sync rules of partner {} are not JSON; using the defaults", partnerId);
            return PartnerSyncRules.defaults();
        }
        List<FieldProblem> problems = new ArrayList<>();
        ObjectNode usable = SyncRulesJson.changes(stored, problems);
        if (!problems.isEmpty()) {
            // A rule this version does not know (or no longer offers) must not stop the partner's sync.
            log.warn("Ignoring stored sync rules of partner {} that are not valid: {}", partnerId,
                    SyncRulesJson.describe(problems));
        }
        return SyncRulesJson.apply(mapper, PartnerSyncRules.defaults(), usable);
    }

    /**
     * Lays {@code changes} (checked, stored form, only the fields a PUT named) over the partner's
     * rules in one statement, so two partial updates at once cannot undo each other.
     */
    PartnerSyncRules update(String partnerId, ObjectNode changes) {
        // The derived fields are stored in step with what they derive from, so the stored document is the API's.
        if (changes.has("automaticSync")) changes.set(SyncRulesJson.GLOBAL_SYNC, changes.get("automaticSync"));
        if (changes.has("taskSync")) {
            changes.put("syncPeriod", TaskSync.valueOf(changes.get("taskSync").asText()).period().name());
        }
        String full = write(SyncRulesJson.apply(mapper, PartnerSyncRules.defaults(), changes));
        TaskSync before = changes.has("taskSync") ? find(partnerId).taskSync() : null;
        forget(partnerId);
        String stored = jdbc.queryForObject("""
                INSERT INTO sync_rules (partner_id, rules) VALUES (:partnerId, CAST(:full AS jsonb))
                ON CONFLICT (partner_id) DO UPDATE SET rules = sync_rules.rules || CAST(:changes AS jsonb), updated_at = now()
                RETURNING rules::text
                """, Map.of("partnerId", partnerId, "full", full, "changes", write(changes)), String.class);
        forget(partnerId);
        PartnerSyncRules after = parse(partnerId, stored);
        // R31: what waited under the old mode goes on under the new one (SubscriptionSync.onTaskSyncChanged)
        if (before != null && before != after.taskSync()) events.publishEvent(new TaskSyncChanged(partnerId, before, after.taskSync()));
        return after;
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sync rules cannot be written as JSON", e);
        }
    }
}
