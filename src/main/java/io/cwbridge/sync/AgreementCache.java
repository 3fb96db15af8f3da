package io.cwbridge.sync;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.Agreement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The agreement records ({@code finance/agreements/{id}}: billing start, next invoice date,
 * prorate flags, billing cycle, currency, status) the sync plans with, read once per partner and
 * agreement and kept in this instance (bounded, thread-safe; not shared between instances):
 *
 * <ul>
 *   <li>until the agreement's next invoice date N begins, by the bundle's clock
 *       ({@code cwbridge.sync.clock}): from N on ConnectWise may invoice and move N;</li>
 *   <li>when N has already begun at the read (invoicing is due: ConnectWise moves N whenever the
 *       partner runs it, so the record may be outdated at any moment), for
 *       {@code cwbridge.sync.agreement-cache.overdue-ttl} only: by default not at all, every plan reads
 *       it (an agreement never invoiced has N = its billing start, in the past);</li>
 *   <li>never longer than {@code cwbridge.sync.agreement-cache.max-age} (default 1 day), for edits
 *       made by hand in ConnectWise;</li>
 *   <li>until a change the bundle sees: a subscription mapped to or away from the agreement
 *       ({@link MappingChanged}), a global sync read of it ({@link #refreshed}), or ConnectWise
 *       refusing a write to its additions ({@link RefusedWrites}), which evict or replace it.</li>
 * </ul>
 *
 * A write ConnectWise refuses (a plan made from an outdated N: edits, new lines or deletes in
 * invoiced periods) evicts the record and plans the task again from a fresh read, when nothing of
 * its plan was delivered yet. End-dating stays allowed in invoiced periods, so a plan from an
 * outdated N can partly land: that is why the record is not kept once N has begun.
 */
@Component
public class AgreementCache {

    private static final Logger log = LoggerFactory.getLogger(AgreementCache.class);

    record Key(String partnerId, long agreementId) {}

    record Entry(Agreement agreement, Instant expiresAt) {}

    private final ConnectWiseResources resources;
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final Duration overdueTtl;
    private final Duration maxAge;
    private final Cache<Key, Entry> entries;
    /** The agreement each subscription was last planned on here, so a re-map evicts the one it leaves. */
    private final Cache<String, Long> planned;
    /** Bumped by every eviction: a read that started before one is returned, but not kept. */
    private final AtomicLong evictions = new AtomicLong();

    @Autowired
    public AgreementCache(ConnectWiseResources resources, NamedParameterJdbcTemplate jdbc, Clock clock,
                          @Value("${cwbridge.sync.agreement-cache.max-size:10000}") long maxSize,
                          @Value("${cwbridge.sync.agreement-cache.overdue-ttl:PT0S}") Duration overdueTtl,
                          @Value("${cwbridge.sync.agreement-cache.max-age:P1D}") Duration maxAge) {
        this.resources = resources;
        this.jdbc = jdbc;
        this.clock = clock;
        this.overdueTtl = overdueTtl;
        this.maxAge = maxAge;
        this.entries = Caffeine.newBuilder().maximumSize(maxSize).build();
        this.planned = Caffeine.newBuilder().maximumSize(maxSize * 10).build();
    }

    /** The agreement record, from this cache while it holds, else read from ConnectWise (one call) and kept. */
    public Agreement agreement(String partnerId, ConnectWiseConnection cw, long agreementId) {
        Key key = new Key(partnerId, agreementId);
        Instant now = clock.instant();
        Entry entry = entries.getIfPresent(key);
        if (entry != null && now.isBefore(entry.expiresAt())) return entry.agreement();
        long before = evictions.get();
        Agreement agreement = resources.agreement(cw, agreementId);
        if (evictions.get() == before) entries.put(key, entry(agreement, now));
        return agreement;
    }

    /** The record as last read here, expired or not, without reading (the next invoice date a line copy was taken under). */
    public Optional<Agreement> peek(String partnerId, long agreementId) {
        return Optional.ofNullable(entries.getIfPresent(new Key(partnerId, agreementId))).map(Entry::agreement);
    }

    /** A fresh read of the agreement made elsewhere (the global sync, the R4 search) replaces what is kept. */
    public void refreshed(String partnerId, Agreement agreement) {
        if (agreement.id() == 0) return;
        entries.put(new Key(partnerId, agreement.id()), entry(agreement, clock.instant()));
    }

    /** Records on which agreement the subscription is planned (see {@link #onMappingChanged}). */
    void plannedOn(String partnerId, String subscriptionId, long agreementId) {
        planned.put(partnerId + "\u0000" + subscriptionId, agreementId);
    }

    public void evict(String partnerId, long agreementId) {
        evictions.incrementAndGet();
        entries.invalidate(new Key(partnerId, agreementId));
    }

    /** A subscription mapped to, or away from, an agreement: both agreements are read afresh (before its tasks are enqueued again). */
    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void onMappingChanged(MappingChanged change) {
        if (!MappingChanged.SUBSCRIPTION.equals(change.kind())) return;
        Set<Long> agreements = new HashSet<>();
        Map<String, Object> params = Map.of("p", change.partnerId(), "s", change.id());
        agreements.addAll(jdbc.queryForList("SELECT agreement_id FROM subscription_mapping WHERE partner_id = :p AND subscription_id = :s",
                params, Long.class));
        agreements.addAll(jdbc.queryForList("SELECT DISTINCT agreement_id FROM subscription_line WHERE partner_id = :p AND subscription_id = :s",
                params, Long.class));
        Long last = planned.getIfPresent(change.partnerId() + "\u0000" + change.id());
        if (last != null) agreements.add(last);
        agreements.forEach(a -> evict(change.partnerId(), a));
        log.debug("Mapping of subscription {} of partner {} changed: agreements {} will be read afresh", change.id(),
                change.partnerId(), agreements);
    }

    /**
     * Kept until N begins (capped by max-age), or for the overdue TTL when N has begun already (by
     * default 0: expired at once, kept only so {@link #peek} tells the N a line copy is taken under).
     */
    private Entry entry(Agreement agreement, Instant now) {
        LocalDate next = agreement.nextInvoiceDate();
        Instant cap = now.plus(maxAge);
        Instant until = next != null && next.isAfter(LocalDate.ofInstant(now, ZoneOffset.UTC))
                ? next.atStartOfDay(ZoneOffset.UTC).toInstant() : now.plus(overdueTtl);
        return new Entry(agreement, until.isBefore(cap) ? until : cap);
    }

    /** For tests and the benchmark: the agreements held now (expired ones included until they are read again). */
    public List<Long> held(String partnerId) {
        return entries.asMap().keySet().stream().filter(k -> k.partnerId().equals(partnerId)).map(Key::agreementId).sorted().toList();
    }
}
