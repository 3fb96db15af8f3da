package io.cwbridge.catchup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.rules.AdditionLine;
import io.cwbridge.rules.CatchUp;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Table {@code invoiced_catch_up} (R27); the only class that reads or writes it. Catch-ups are kept
 * per task (or per global sync run for a month roll), claimed before an adjustment is posted and
 * marked POSTED or FAILED afterwards.
 */
@Repository
public class CatchUpRepository {

    private static final String COLUMNS = "catch_up_id, partner_id, subscription_id, agreement_id, task_id, run_id, "
            + "catalog_item_id, period_start, period_end, from_date, to_date, licence_days, days_in_period, unit_price, "
            + "unit_cost, amount, cost_amount, currency, reason, description, status, adjustment_id, effective_date, message, "
            + "posted_at, created_at";

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public CatchUpRepository(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** Where a catch-up belongs and what it is posted with. */
    public record Owner(String partnerId, String subscriptionId, long agreementId, String currency, LocalDate nextInvoiceDate) {}

    /**
     * Keeps the catch-ups of a task's plan. A task is planned again only while none of its plan was
     * delivered (a crash or a refusal before its operations were stored, or a plan without operations
     * whose catch-ups could not be posted yet): catch-ups nobody acted on are replaced by the new
     * plan's, while once one of them was claimed for posting (or settled) the task keeps its own.
     */
    public void recordForTask(long taskId, Owner owner, List<CatchUp> catchUps) {
        Boolean settled = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM invoiced_catch_up WHERE task_id = :t"
                + " AND (status <> 'LISTED' OR attempts > 0))", Map.of("t", taskId), Boolean.class);
        if (Boolean.TRUE.equals(settled)) return;
        jdbc.update("DELETE FROM invoiced_catch_up WHERE task_id = :t", Map.of("t", taskId));
        int seq = 0;
        for (CatchUp c : catchUps) {
            insert(taskId, null, ++seq, owner, c);
        }
    }

    /** Keeps the catch-ups of a month roll; one the partner's earlier runs found already is kept once. */
    public void recordForRun(long runId, Owner owner, List<CatchUp> catchUps) {
        Integer last = jdbc.queryForObject("SELECT coalesce(max(seq), 0) FROM invoiced_catch_up WHERE run_id = :r",
                Map.of("r", runId), Integer.class);
        int seq = last == null ? 0 : last;
        for (CatchUp c : catchUps) {
            insert(null, runId, ++seq, owner, c);
        }
    }

    private void insert(Long taskId, Long runId, int seq, Owner owner, CatchUp c) {
        Map<String, Object> p = new HashMap<>();
        p.put("t", taskId);
        p.put("r", runId);
        p.put("seq", seq);
        p.put("p", owner.partnerId());
        p.put("s", owner.subscriptionId());
        p.put("a", owner.agreementId());
        p.put("item", c.catalogItemId());
        p.put("ps", c.periodStart());
        p.put("pe", c.periodEnd());
        p.put("from", c.from());
        p.put("to", c.to());
        p.put("days", c.licenceDays());
        p.put("dip", c.daysInPeriod());
        p.put("price", c.unitPrice());
        p.put("cost", c.unitCost());
        p.put("amount", c.amount());
        p.put("costAmount", c.costAmount());
        p.put("currency", owner.currency());
        p.put("reason", c.reason() == null ? "R27" : c.reason());
        p.put("description", c.description());
        p.put("effective", owner.nextInvoiceDate());
        p.put("lines", write(c.lines().stream().map(CaughtUpLine::of).toList()));
        jdbc.update("""
                INSERT INTO invoiced_catch_up (task_id, run_id, seq, partner_id, subscription_id, agreement_id, catalog_item_id,
                    period_start, period_end, from_date, to_date, licence_days, days_in_period, unit_price, unit_cost, amount,
                    cost_amount, currency, reason, description, effective_date, lines)
                VALUES (:t, :r, :seq, :p, :s, :a, :item, :ps, :pe, :from, :to, :days, :dip, :price, :cost, :amount,
                    :costAmount, :currency, :reason, :description, :effective, CAST(:lines AS jsonb))
                ON CONFLICT DO NOTHING""", p);
    }

    /**
     * The catch-up lines of the subscriptions (R27), whatever became of their amounts: the rules read
     * them with the lines ConnectWise holds. {@code agreementId} null: on any agreement.
     */
    public List<AdditionLine> caughtUpLines(String partnerId, java.util.Collection<String> subscriptionIds, Long agreementId) {
        return caughtUpLines(partnerId, subscriptionIds, agreementId, null);
    }

    /** The same without the catch-ups of task {@code planning}: a task planned again does not see its own earlier plan's. */
    public List<AdditionLine> caughtUpLines(String partnerId, java.util.Collection<String> subscriptionIds, Long agreementId,
            Long planning) {
        Map<String, Object> p = new HashMap<>();
        p.put("p", partnerId);
        p.put("s", subscriptionIds);
        p.put("a", agreementId);
        p.put("t", planning);
        List<AdditionLine> lines = new ArrayList<>();
        for (String json : jdbc.queryForList("SELECT lines::text FROM invoiced_catch_up WHERE partner_id = :p"
                + " AND subscription_id IN (:s) AND (CAST(:a AS bigint) IS NULL OR agreement_id = :a) AND lines <> '[]'::jsonb"
                + " AND (CAST(:t AS bigint) IS NULL OR task_id IS NULL OR task_id <> :t)"
                + " ORDER BY catch_up_id", p, String.class)) {
            try {
                mapper.readValue(json, new TypeReference<List<CaughtUpLine>>() { }).forEach(l -> lines.add(l.toLine()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored catch-up lines cannot be read", e);
            }
        }
        return lines;
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("catch-up lines cannot be written as JSON", e);
        }
    }

    public List<CatchUpView> forTask(long taskId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM invoiced_catch_up WHERE task_id = :t ORDER BY seq",
                Map.of("t", taskId), CatchUpRepository::view);
    }

    /** The catch-ups of several tasks in one query, by task id (every id present, in the given order). */
    public Map<Long, List<CatchUpView>> forTasks(Collection<Long> taskIds) {
        Map<Long, List<CatchUpView>> byTask = new LinkedHashMap<>();
        taskIds.forEach(id -> byTask.put(id, new ArrayList<>()));
        if (taskIds.isEmpty()) return byTask;
        jdbc.query("SELECT " + COLUMNS + " FROM invoiced_catch_up WHERE task_id IN (:t) ORDER BY task_id, seq",
                Map.of("t", taskIds), (ResultSet rs) -> {
                    while (rs.next()) byTask.get(rs.getLong("task_id")).add(view(rs, 0));
                    return null;
                });
        return byTask;
    }

    /** Month-roll catch-ups of a subscription not yet posted or failed. */
    public List<CatchUpView> openForRolls(String partnerId, String subscriptionId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM invoiced_catch_up WHERE partner_id = :p AND subscription_id = :s"
                        + " AND task_id IS NULL AND status IN ('LISTED', 'POSTING') ORDER BY catch_up_id",
                Map.of("p", partnerId, "s", subscriptionId), CatchUpRepository::view);
    }

    public Optional<CatchUpView> find(String partnerId, long catchUpId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM invoiced_catch_up WHERE partner_id = :p AND catch_up_id = :id",
                Map.of("p", partnerId, "id", catchUpId), CatchUpRepository::view).stream().findFirst();
    }

    /** The partner's catch-ups, newest first, optionally of one status. */
    public List<CatchUpView> list(String partnerId, String status, int limit, int offset) {
        Map<String, Object> p = new HashMap<>();
        p.put("p", partnerId);
        p.put("status", status);
        p.put("limit", limit);
        p.put("offset", offset);
        return jdbc.query("SELECT " + COLUMNS + " FROM invoiced_catch_up WHERE partner_id = :p"
                + " AND (CAST(:status AS varchar) IS NULL OR status = :status)"
                + " ORDER BY created_at DESC, catch_up_id DESC LIMIT :limit OFFSET :offset", p, CatchUpRepository::view);
    }

    /**
     * R32 × R34: the catch-ups POSTED as agreement adjustments for days of {@code start}–{@code end}
     * (their period overlaps it), of one subscription or (null) all the partner's: what ConnectWise
     * bills for those days besides the additions. The billing reconciliation and the three-way check
     * both read them here.
     */
    public List<CatchUpView> postedFor(String partnerId, String subscriptionId, LocalDate start, LocalDate end) {
        return inPeriod(CatchUpView.POSTED, partnerId, subscriptionId, start, end);
    }

    /**
     * R32 × R27: the subscription's catch-ups of {@code start}–{@code end} left POSTING: their adjustment was claimed and sent
     * (or is being sent) without its answer recorded, so ConnectWise may bill their days already or will once the next
     * attempt posts them (a POSTING catch-up ends POSTED, or FAILED on a refusal; never LISTED again).
     */
    public List<CatchUpView> postingFor(String partnerId, String subscriptionId, LocalDate start, LocalDate end) {
        return inPeriod(CatchUpView.POSTING, partnerId, subscriptionId, start, end);
    }

    /** The catch-ups of one status whose period overlaps {@code start}–{@code end}, of one subscription or (null) all the partner's. */
    private List<CatchUpView> inPeriod(String status, String partnerId, String subscriptionId, LocalDate start, LocalDate end) {
        Map<String, Object> p = new HashMap<>();
        p.put("p", partnerId);
        p.put("status", status);
        p.put("s", subscriptionId);
        p.put("start", start);
        p.put("end", end);
        return jdbc.query("SELECT " + COLUMNS + " FROM invoiced_catch_up WHERE partner_id = :p AND status = :status"
                + " AND (CAST(:s AS varchar) IS NULL OR subscription_id = :s) AND period_start <= :end AND period_end >= :start"
                + " ORDER BY catch_up_id", p, CatchUpRepository::view);
    }

    /**
     * R32 × R27: the billing reconciliation posted the charges of the subscription for {@code start}–{@code end}
     * (automatically or on Accept), which bill the days its catch-ups still LISTED or FAILED for that period
     * stand for: they become RESOLVED with {@code note} (naming the reconciliation), so they can no longer be
     * posted as a second adjustment and leave the review lists and the digest. Answers the ids settled.
     */
    public List<Long> settleByReconciliation(String partnerId, String subscriptionId, LocalDate start, LocalDate end,
                                             long reconciliationId, String note) {
        return jdbc.queryForList("UPDATE invoiced_catch_up SET status = 'RESOLVED', resolved_at = now(), message = :note,"
                + " settled_by_reconciliation = :r, updated_at = now() WHERE partner_id = :p AND subscription_id = :s"
                + " AND status IN ('LISTED', 'FAILED') AND period_start <= :end AND period_end >= :start RETURNING catch_up_id",
                Map.of("p", partnerId, "s", subscriptionId, "start", start, "end", end, "note", note, "r", reconciliationId),
                Long.class);
    }

    /**
     * R32 × R27: the charges of billing reconciliation {@code reconciliationId} were taken back (a reject of its automatic
     * post): the catch-ups they had settled are LISTED again with {@code note}, for a person to post or resolve, so their
     * days are not left billed by neither. Answers the ids listed again.
     */
    public List<Long> unsettleByReconciliation(String partnerId, long reconciliationId, String note) {
        return jdbc.queryForList("UPDATE invoiced_catch_up SET status = 'LISTED', resolved_at = NULL, message = :note,"
                + " settled_by_reconciliation = NULL, updated_at = now() WHERE partner_id = :p AND settled_by_reconciliation = :r"
                + " AND status = 'RESOLVED' RETURNING catch_up_id", Map.of("p", partnerId, "r", reconciliationId, "note", note), Long.class);
    }

    /** A FAILED catch-up a person wants posted again becomes LISTED (true); anything else stays as it is. */
    public boolean relist(long catchUpId) {
        return jdbc.update("UPDATE invoiced_catch_up SET status = 'LISTED', updated_at = now() WHERE catch_up_id = :id"
                + " AND status = 'FAILED'", Map.of("id", catchUpId)) > 0;
    }

    /** The adjustment's effective date of a catch-up not yet posted. */
    public void effectiveDate(long catchUpId, LocalDate date) {
        jdbc.update("UPDATE invoiced_catch_up SET effective_date = :d, updated_at = now() WHERE catch_up_id = :id"
                + " AND status IN ('LISTED', 'FAILED')", Map.of("id", catchUpId, "d", date));
    }

    /** A person settled a LISTED or FAILED catch-up by hand; false when it is in another state. */
    public boolean resolve(long catchUpId, String note) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", catchUpId);
        p.put("note", note);
        return jdbc.update("UPDATE invoiced_catch_up SET status = 'RESOLVED', resolved_at = now(), message = :note,"
                + " updated_at = now() WHERE catch_up_id = :id AND status IN ('LISTED', 'FAILED')", p) > 0;
    }

    /** What a person should look at: catch-ups left for review (LISTED) or whose adjustment failed, oldest first. */
    public List<CatchUpView> toReview(String partnerId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM invoiced_catch_up WHERE partner_id = :p AND status IN ('LISTED', 'FAILED')"
                + " ORDER BY created_at, catch_up_id", Map.of("p", partnerId), CatchUpRepository::view);
    }

    /**
     * Claims a catch-up for {@code run} before its adjustment is posted: answers its status before the
     * claim (LISTED, or POSTING when an earlier attempt may have landed), or empty when it is POSTED,
     * FAILED, or being posted by another run within {@code lease}.
     */
    public Optional<String> claim(long catchUpId, String run, Duration lease) {
        List<String> previous = jdbc.queryForList("""
                WITH prev AS (
                    SELECT status, claimed_by, claimed_at FROM invoiced_catch_up WHERE catch_up_id = :id FOR UPDATE)
                UPDATE invoiced_catch_up c SET status = 'POSTING', claimed_at = now(), claimed_by = :run,
                       attempts = c.attempts + 1, updated_at = now()
                FROM prev
                WHERE c.catch_up_id = :id
                  AND (prev.status = 'LISTED'
                       OR (prev.status = 'POSTING' AND (prev.claimed_by IS NULL OR prev.claimed_by = :run
                           OR prev.claimed_at < now() - make_interval(secs => :lease))))
                RETURNING prev.status""", Map.of("id", catchUpId, "run", run, "lease", lease.toMillis() / 1000.0), String.class);
        return previous.stream().findFirst();
    }

    public void posted(long catchUpId, long adjustmentId) {
        jdbc.update("""
                UPDATE invoiced_catch_up SET status = 'POSTED', adjustment_id = :adj, message = NULL, posted_at = now(),
                       claimed_by = NULL, updated_at = now() WHERE catch_up_id = :id""",
                Map.of("id", catchUpId, "adj", adjustmentId));
    }

    public void failed(long catchUpId, String message) {
        jdbc.update("""
                UPDATE invoiced_catch_up SET status = 'FAILED', message = :m, claimed_by = NULL, updated_at = now()
                WHERE catch_up_id = :id""", Map.of("id", catchUpId, "m", message));
    }

    /**
     * The sender gives up for now (ConnectWise unavailable): the catch-up stays POSTING, so the next
     * attempt looks it up before posting, but no lease has to run out first.
     */
    public void release(long catchUpId, String message) {
        jdbc.update("UPDATE invoiced_catch_up SET claimed_by = NULL, message = :m, updated_at = now() WHERE catch_up_id = :id",
                Map.of("id", catchUpId, "m", message));
    }

    /** Adjustment ids already recorded for the agreement, so a look-up by description never takes another catch-up's. */
    public List<Long> adjustmentIds(String partnerId, long agreementId) {
        return jdbc.queryForList("SELECT adjustment_id FROM invoiced_catch_up WHERE partner_id = :p AND agreement_id = :a"
                + " AND adjustment_id IS NOT NULL", Map.of("p", partnerId, "a", agreementId), Long.class);
    }

    /** Counts and amounts per status for the workbench summary. */
    public CatchUpSummary summary(String partnerId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String s : List.of(CatchUpView.LISTED, CatchUpView.POSTING, CatchUpView.POSTED, CatchUpView.FAILED,
                CatchUpView.RESOLVED)) {
            counts.put(s, 0L);
        }
        Map<String, BigDecimal> toReviewByCurrency = new LinkedHashMap<>();
        jdbc.query("""
                SELECT status, coalesce(currency, '') AS currency, count(*) AS n, sum(amount) AS amount FROM invoiced_catch_up
                WHERE partner_id = :p GROUP BY status, coalesce(currency, '') ORDER BY status, 2""", Map.of("p", partnerId),
                (ResultSet rs) -> {
                    while (rs.next()) {
                        String status = rs.getString("status");
                        counts.merge(status, rs.getLong("n"), Long::sum);
                        if (CatchUpView.LISTED.equals(status) || CatchUpView.FAILED.equals(status)) {
                            toReviewByCurrency.merge(rs.getString("currency"), rs.getBigDecimal("amount"), BigDecimal::add);
                        }
                    }
                    return null;
                });
        long toReview = counts.get(CatchUpView.LISTED) + counts.get(CatchUpView.FAILED);
        BigDecimal amount = toReviewByCurrency.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, java.math.RoundingMode.HALF_UP);
        toReviewByCurrency.replaceAll((c, v) -> v.setScale(2, java.math.RoundingMode.HALF_UP));
        return new CatchUpSummary(toReview, amount, toReviewByCurrency, counts);
    }

    private static CatchUpView view(ResultSet rs, int n) throws SQLException {
        return new CatchUpView(rs.getLong("catch_up_id"), rs.getString("partner_id"), rs.getString("subscription_id"),
                rs.getLong("agreement_id"), rs.getObject("task_id", Long.class), rs.getObject("run_id", Long.class),
                rs.getObject("catalog_item_id", Long.class), rs.getObject("period_start", LocalDate.class),
                rs.getObject("period_end", LocalDate.class), rs.getObject("from_date", LocalDate.class),
                rs.getObject("to_date", LocalDate.class), rs.getBigDecimal("licence_days"), rs.getInt("days_in_period"),
                rs.getBigDecimal("unit_price"), rs.getBigDecimal("unit_cost"), rs.getBigDecimal("amount"),
                rs.getBigDecimal("cost_amount"), rs.getString("currency"), rs.getString("reason"), rs.getString("description"),
                rs.getString("status"), rs.getObject("adjustment_id", Long.class), rs.getObject("effective_date", LocalDate.class),
                rs.getString("message"), rs.getObject("posted_at", OffsetDateTime.class),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
