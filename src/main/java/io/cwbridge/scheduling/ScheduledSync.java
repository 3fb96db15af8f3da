package io.cwbridge.scheduling;

import io.cwbridge.syncrules.PartnerSyncRules;
import io.cwbridge.syncrules.SyncRulesRepository;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Step of route {@code scheduled-sync}: which partners are due at the Clock's instant
 * ({@link SyncSchedule}), and a row in {@code scheduled_sync_tick} for the tick, whichever instance
 * of the cluster Quartz let run it.
 */
@Component("scheduledSync")
public class ScheduledSync {

    private static final Logger log = LoggerFactory.getLogger(ScheduledSync.class);

    /** Tells this instance's ticks apart from the others' in scheduled_sync_tick. */
    private final String instanceId = UUID.randomUUID().toString();
    private final NamedParameterJdbcTemplate jdbc;
    private final SyncRulesRepository syncRules;
    private final Clock clock;

    public ScheduledSync(NamedParameterJdbcTemplate jdbc, SyncRulesRepository syncRules, Clock clock) {
        this.jdbc = jdbc;
        this.syncRules = syncRules;
        this.clock = clock;
    }

    public String instanceId() {
        return instanceId;
    }

    /** @return the partners due now; the body the route splits */
    public List<DuePartner> tick(Message message) {
        Instant now = clock.instant();
        List<DuePartner> due = new ArrayList<>();
        // Automatic sync is off by default, so only partners that stored rules can be due.
        jdbc.query("SELECT partner_id, rules::text AS rules FROM sync_rules ORDER BY partner_id", Map.of(), rs -> {
            PartnerSyncRules rules = syncRules.parse(rs.getString("partner_id"), rs.getString("rules"));
            SyncSchedule.Due d = SyncSchedule.due(rules, now);
            if (d.any()) due.add(new DuePartner(rs.getString("partner_id"), d.taskAutoSync(), d.globalSync()));
        });
        Date fireTime = message.getHeader("scheduledFireTime", Date.class); // set by camel-quartz; absent when called directly
        Map<String, Object> params = new HashMap<>();
        params.put("f", fireTime == null ? null : new Timestamp(fireTime.getTime()));
        params.put("c", Timestamp.from(now));
        params.put("i", instanceId);
        params.put("n", due.size());
        jdbc.update("INSERT INTO scheduled_sync_tick (fire_time, clock_instant, instance_id, partners_due) VALUES (:f, :c, :i, :n)",
                params);
        log.debug("Scheduled sync tick at {}: {} partner(s) due", now, due.size());
        return due;
    }
}
