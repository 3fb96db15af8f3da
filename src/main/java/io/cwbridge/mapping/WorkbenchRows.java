package io.cwbridge.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The rows and pages of the mapping workbench lists (SPEC 3, 8.2). */
public final class WorkbenchRows {

    private WorkbenchRows() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CustomerRow(String customerId, String name, MappingStatus status, String reason, Long companyId,
                              Instant mappedAt, Instant lastSyncAt, int subscriptions) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProductRow(String productId, String name, String plan, String provider, String mfgPartNumber,
                             MappingStatus status, String reason, Long catalogItemId, Instant mappedAt, Instant lastSyncAt,
                             int subscriptions) {}

    /** @param value quantity × unit price, scale 2 */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionRow(String subscriptionId, String customerId, String customerName, String productId,
                                  String productName, Integer quantity, BigDecimal unitPrice, BigDecimal value,
                                  String currency, String billingCycle, LocalDate startDate, boolean cancelled,
                                  MappingStatus status, String reason, Long agreementId, LocalDate fromDate,
                                  List<Long> additionIds, Instant mappedAt, Instant lastSyncAt, String lastTaskStatus) {}

    /** One page of a filtered list; {@code total} counts every match, {@code counts} every item per status. */
    public record Page<T>(List<T> items, long total, int limit, int offset, Map<MappingStatus, Long> counts) {}

    /**
     * @param unsynchronisedRevenue sum of quantity × unit price of the subscriptions that are not mapped
     *                              (cancelled ones excluded), scale 2
     * @param catchUps              R27: catch-ups of invoiced periods to review (LISTED or FAILED) with their amount
     */
    public record Summary(Map<MappingStatus, Long> customers, Map<MappingStatus, Long> products,
                          Map<MappingStatus, Long> subscriptions, long unmappedCustomers, long unmappedProducts,
                          long unmappedSubscriptions, BigDecimal unsynchronisedRevenue,
                          Map<String, BigDecimal> unsynchronisedRevenueByCurrency,
                          io.cwbridge.catchup.CatchUpSummary catchUps) {}
}
