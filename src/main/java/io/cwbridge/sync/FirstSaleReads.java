package io.cwbridge.sync;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.cwbridge.connectwise.AgreementAdditions;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The two ConnectWise reads of a subscription's first sale (issue 14): the company's agreements (R4's search, R5
 * decides from it) and the agreement's additions of the catalog item (R6's check for hand-made billing). First sales
 * come in bursts (a customer's subscriptions bought together, onboarding R7), and each burst's sales read the same
 * company and agreement: an answer is reused by the sales that start within {@code cwbridge.sync.first-sale-reads.reuse-for}
 * (default 5 s, counted from when its read began; 0 turns reuse off) of it, and sales that start while it is
 * being read wait for it instead of reading too.
 *
 * <p>A reused answer only ever lets a sale go ahead as a fresh read would have: it is used only when it gives what
 * lets the sale go on by default (exactly one eligible agreement; no addition of the product that could be the
 * subscription's hand-made billing). Any other answer (none or several eligible, a possible hand-made addition that
 * would hold the sale, R6) is read again before the sale waits for a person. What a reused answer can miss is what
 * someone typed in ConnectWise in those seconds (a second agreement, a hand-made addition); a fresh read between two
 * sales has the same gap, only shorter. Kept in this instance only, bounded.
 */
@Component
public class FirstSaleReads {

    record CompanyKey(String partnerId, long companyId) {}

    record ProductKey(String partnerId, long agreementId, long catalogItemId) {}

    private final ConnectWiseResources resources;
    private final AgreementAdditions additions;
    private final Reuse<CompanyKey, Agreement> companies;
    private final Reuse<ProductKey, AgreementAddition> products;

    public FirstSaleReads(ConnectWiseResources resources, AgreementAdditions additions,
                          @Value("${cwbridge.sync.first-sale-reads.reuse-for:PT5S}") Duration reuseFor) {
        this.resources = resources;
        this.additions = additions;
        this.companies = new Reuse<>(reuseFor, Ticker.systemTicker());
        this.products = new Reuse<>(reuseFor, Ticker.systemTicker());
    }

    /** What a read gave, and whether it is a reused answer (read by another sale) rather than this sale's own read. */
    public record Answer<T>(List<T> items, boolean reused) {}

    /**
     * The company's agreements ({@code finance/agreements?conditions=company/id=…}); a reused answer only when
     * {@code goesOn} accepts it (R4: exactly one eligible), else read afresh.
     */
    public Answer<Agreement> agreements(String partnerId, ConnectWiseConnection cw, long companyId, Predicate<List<Agreement>> goesOn) {
        return companies.answer(new CompanyKey(partnerId, companyId), goesOn, () -> resources.agreements(cw, "company/id=" + companyId));
    }

    /**
     * The agreement's additions of the catalog item, only the fields R6 reads; a reused answer only when {@code goesOn}
     * accepts it (no possible hand-made billing of the subscription), else read afresh.
     */
    public Answer<AgreementAddition> productAdditions(String partnerId, ConnectWiseConnection cw, long agreementId, long catalogItemId,
                                                      String conditions, List<String> fields,
                                                      Predicate<List<AgreementAddition>> goesOn) {
        return products.answer(new ProductKey(partnerId, agreementId, catalogItemId), goesOn,
                () -> additions.list(cw, agreementId, conditions, ConnectWiseClient.MAX_PAGE_SIZE, fields));
    }

    /** One kind of read's answers by key, each for the window from when its read began (none with a zero window). */
    static final class Reuse<K, T> {

        private final Cache<K, CompletableFuture<List<T>>> answers;

        Reuse(Duration reuseFor, Ticker ticker) {
            this.answers = reuseFor.isZero() || reuseFor.isNegative() ? null
                    : Caffeine.newBuilder().expireAfterWrite(reuseFor).ticker(ticker).maximumSize(10_000).build();
        }

        Answer<T> answer(K key, Predicate<List<T>> goesOn, Supplier<List<T>> read) {
            if (answers == null) return new Answer<>(read.get(), false);
            CompletableFuture<List<T>> mine = new CompletableFuture<>();
            CompletableFuture<List<T>> earlier = answers.asMap().putIfAbsent(key, mine);
            if (earlier != null) {
                List<T> reused = joined(earlier);
                if (reused != null && goesOn.test(reused)) return new Answer<>(reused, true);
                // not reusable (failed, or an answer that would stop the sale): this sale reads for itself, and keeps its answer
                answers.asMap().put(key, mine);
            }
            try {
                List<T> items = List.copyOf(read.get());
                mine.complete(items);
                return new Answer<>(items, false);
            } finally {
                if (!mine.isDone()) {
                    // the read failed: sales waiting for it read for themselves, and so does the next one
                    mine.cancel(false);
                    answers.asMap().remove(key, mine);
                }
            }
        }
    }

    /** The earlier read's answer, or null when it failed (this sale then reads, and meets the failure itself). */
    private static <T> List<T> joined(CompletableFuture<List<T>> earlier) {
        try {
            return earlier.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }
}
