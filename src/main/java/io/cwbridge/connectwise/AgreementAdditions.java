package io.cwbridge.connectwise;

import io.cwbridge.connectwise.model.AgreementAddition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The one reader of an agreement's additions ({@code finance/agreements/{id}/additions}), typed:
 * the sync's read of a subscription's lines, the global sync's snapshots, the reconciliation's
 * PSA read (R30, R32, R34) and the mapping's candidates (R6) all read through it. Every list is
 * read whole (paged by {@link ConnectWiseClient#getAll}), whole records unless fields are named;
 * by id, {@value #IDS_PER_READ} ids per read, so a condition stays short.
 */
@Component
public class AgreementAdditions {

    /** Ids asked for in one {@code id in (…)} read. */
    public static final int IDS_PER_READ = 50;

    private final ConnectWiseClient client;
    private final ConnectWiseResources resources;

    public AgreementAdditions(ConnectWiseClient client, ConnectWiseResources resources) {
        this.client = client;
        this.resources = resources;
    }

    static String path(long agreementId) {
        return "finance/agreements/" + agreementId + "/additions";
    }

    /** The agreement's additions matching ConnectWise {@code conditions} (all when null), in pages of the configured size. */
    public List<AgreementAddition> list(ConnectWiseConnection c, long agreementId, String conditions) {
        return resources.all(client.getAll(c, path(agreementId), conditions), AgreementAddition.class);
    }

    /** The same in pages of {@code pageSize} (1..1000): a bulk read takes fewer calls with large pages. */
    public List<AgreementAddition> list(ConnectWiseConnection c, long agreementId, String conditions, int pageSize) {
        return resources.all(client.getAll(c, path(agreementId), conditions, pageSize), AgreementAddition.class);
    }

    /**
     * The same, each addition with only {@code fields} (ConnectWise's {@code fields}; the others read
     * as absent: null, false), in pages of {@code pageSize}: a check that needs a few fields of every
     * line of a product reads a small answer, in one call with pages of {@link ConnectWiseClient#MAX_PAGE_SIZE}.
     */
    public List<AgreementAddition> list(ConnectWiseConnection c, long agreementId, String conditions, int pageSize,
                                        List<String> fields) {
        return resources.all(client.getAll(c, path(agreementId), conditions, pageSize, fields), AgreementAddition.class);
    }

    /** The additions with these ids that the agreement still holds (one deleted in ConnectWise is not among them). */
    public List<AgreementAddition> withIds(ConnectWiseConnection c, long agreementId, Collection<Long> ids) {
        return withIds(c, agreementId, ids, null);
    }

    /** The same, each read in pages of {@code pageSize} (null: the configured size). */
    public List<AgreementAddition> withIds(ConnectWiseConnection c, long agreementId, Collection<Long> ids, Integer pageSize) {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(ids));
        List<AgreementAddition> found = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += IDS_PER_READ) {
            String in = "id in (" + sorted.subList(i, Math.min(sorted.size(), i + IDS_PER_READ)).stream().map(String::valueOf)
                    .collect(Collectors.joining(",")) + ")";
            found.addAll(pageSize == null ? list(c, agreementId, in) : list(c, agreementId, in, pageSize));
        }
        return found;
    }

    /** ConnectWise calls {@link #withIds} makes for {@code ids} ids (at least one page each). */
    public static int calls(int ids) {
        return (ids + IDS_PER_READ - 1) / IDS_PER_READ;
    }

    /** How many additions the agreement holds ({@code …/additions/count}). */
    public long count(ConnectWiseConnection c, long agreementId) {
        return client.count(c, path(agreementId), null);
    }

    /** One addition ({@code …/additions/{id}}). */
    public AgreementAddition one(ConnectWiseConnection c, long agreementId, long additionId) {
        return resources.addition(client.get(c, path(agreementId) + "/" + additionId, Map.of()));
    }
}
