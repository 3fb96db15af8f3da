package io.cwbridge.globalsync;

import io.cwbridge.connectwise.AgreementAdditions;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.rules.AgreementBilling;
import io.cwbridge.rules.SubscriptionLines;
import io.cwbridge.sync.MappingResolver;
import io.cwbridge.sync.SubscriptionLinesReader;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * R30 at scale: one global-sync run reads an agreement's additions whole (paged) when that takes
 * fewer calls than one read per subscription on it, and takes each subscription's lines from that
 * snapshot. A subscription's lines come from the snapshot only when all of them are in it and the
 * bundle recorded no write to any of them after the snapshot was read ({@code subscription_line.updated_at}
 * is stamped by every write the bundle records, in the database's time like the snapshot's);
 * otherwise they are read afresh, as for an agreement not worth reading whole. The run visits the
 * subscriptions agreement by agreement, so one snapshot is kept at a time. A whole-partner run takes
 * its snapshots from {@link BulkMonthRoll} ({@link #use}); this class loads one itself (a count, then
 * the pages) only for a subscription with lines on several agreements.
 *
 * <p>It also reads each agreement the run touches once ({@code finance/agreements/{id}}) for how it
 * invoices ({@link #billing}): the month roll and the price sync judge "invoiced" by its next
 * invoice date (R22, R27), never by an addition's billedQuantity.
 */
final class AgreementSnapshots {

    private final ConnectWiseResources resources;
    private final AgreementAdditions additionsReader;
    private final NamedParameterJdbcTemplate jdbc;
    private final ConnectWiseConnection cw;
    private final String partnerId;
    private final int pageSize;
    private final RunTally tally;
    private final io.cwbridge.sync.AgreementCache agreements;

    private long agreementId = -1;
    private OffsetDateTime takenAt;
    private Map<Long, AgreementAddition> additions; // null: this agreement is read per subscription
    private final Map<Long, AgreementBilling> billing = new HashMap<>();

    AgreementSnapshots(ConnectWiseResources resources, AgreementAdditions additionsReader, NamedParameterJdbcTemplate jdbc,
                       ConnectWiseConnection cw, String partnerId, int pageSize, RunTally tally, io.cwbridge.sync.AgreementCache agreements) {
        this.agreements = agreements;
        this.resources = resources;
        this.additionsReader = additionsReader;
        this.jdbc = jdbc;
        this.cw = cw;
        this.partnerId = partnerId;
        this.pageSize = pageSize;
        this.tally = tally;
    }

    /** {@code rows} (line_key, agreement_id, addition_id) of one subscription on one agreement, from the snapshot if it may be used. */
    Optional<SubscriptionLines> lines(long agreementId, String subscriptionId, List<Map<String, Object>> rows) {
        if (agreementId != this.agreementId) load(agreementId);
        if (additions == null || writtenSince(subscriptionId)) return Optional.empty();
        return SubscriptionLinesReader.from(rows, additions);
    }

    /**
     * Takes the agreement's additions the bulk path read at {@code takenAt} (database time) as this
     * agreement's snapshot, so a subscription sent on to {@link MonthRollSync#sync} is not read again;
     * {@code additions} null: none could be read, its subscriptions are read one by one.
     */
    void use(long agreementId, OffsetDateTime takenAt, Map<Long, AgreementAddition> additions) {
        this.agreementId = agreementId;
        this.takenAt = takenAt;
        this.additions = additions;
    }

    /**
     * A copy for one lane of the run (one subscription sent on by {@link BulkMonthRoll}): the same
     * snapshot (read only from now on) and the billing read so far, counting into the lane's tally.
     */
    AgreementSnapshots forLane(RunTally laneTally) {
        AgreementSnapshots lane = new AgreementSnapshots(resources, additionsReader, jdbc, cw, partnerId, pageSize, laneTally, agreements);
        lane.use(agreementId, takenAt, additions);
        lane.billing.putAll(billing);
        return lane;
    }

    /** How the agreement invoices, read once per run. */
    AgreementBilling billing(long agreementId) {
        return billing.computeIfAbsent(agreementId, id -> {
            tally.reads++;
            return took(resources.agreement(cw, id));
        });
    }

    /** The same from a read of the agreement the run already made (read ahead; the caller counted it). */
    AgreementBilling billing(long agreementId, Agreement agreement) {
        return billing.computeIfAbsent(agreementId, id -> took(agreement));
    }

    private AgreementBilling took(Agreement agreement) {
        agreements.refreshed(partnerId, agreement); // issue 14: the sync's agreement cache takes this read
        return MappingResolver.billing(agreement);
    }

    private void load(long agreementId) {
        this.agreementId = agreementId;
        this.additions = null;
        Long subscriptions = jdbc.queryForObject("""
                SELECT count(DISTINCT subscription_id) FROM subscription_line WHERE partner_id = :p AND agreement_id = :a""",
                Map.of("p", partnerId, "a", agreementId), Long.class);
        if (subscriptions == null || subscriptions < 3) return; // a count and a page cost as much as two reads
        tally.reads++;
        long pages = Math.max(1, (additionsReader.count(cw, agreementId) + pageSize - 1) / pageSize);
        if (pages + 1 >= subscriptions) return; // the agreement holds mostly other additions
        takenAt = jdbc.queryForObject("SELECT clock_timestamp()", Map.of(), OffsetDateTime.class);
        List<AgreementAddition> all = additionsReader.list(cw, agreementId, null);
        tally.reads += Math.max(1, (all.size() + pageSize - 1) / pageSize);
        Map<Long, AgreementAddition> byId = new HashMap<>();
        all.forEach(a -> byId.put(a.id(), a));
        additions = byId;
    }

    private boolean writtenSince(String subscriptionId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM subscription_line
                               WHERE partner_id = :p AND subscription_id = :s AND updated_at >= :t)""",
                Map.of("p", partnerId, "s", subscriptionId, "t", takenAt), Boolean.class));
    }
}
