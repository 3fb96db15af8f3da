package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import io.cwbridge.tasks.store.SyncTasks;
import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.events.Subscription;
import io.cwbridge.sync.MappingResolver;
import io.cwbridge.sync.SubscriptionSync;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * Onboarding (R7): an import of the partner's active subscriptions creates one onboarding sales order
 * and its task per active subscription that has no task yet ({@link SubscriptionImport#createOnboardingTasks}),
 * adopts the one exact unowned addition (R6) where the agreement already bills the subscription by hand,
 * then hands the subscriptions to the task sync. The dry run says, per subscription and customer, what
 * onboarding would do (CREATE, ADOPT, LEAVE with the reason) and writes nothing (ConnectWise is only read).
 */
@Service
public class Onboarding {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Onboarding.class);

    public enum Action { CREATE, ADOPT, LEAVE }

    /**
     * @param agreementId the agreement the subscription would go to (CREATE, ADOPT)
     * @param additionId  ADOPT: the hand-made addition that becomes its base line
     * @param taskId      not a dry run: the onboarding task created for it (null when it had one already)
     */
    public record Item(String subscriptionId, String customerId, String customerName, Action action, String reason,
                       Long agreementId, Long additionId, Long taskId) {}

    public record CustomerPlan(String customerId, String customerName, Map<Action, Long> counts, List<Item> subscriptions) {}

    public record Report(boolean dryRun, int imported, int tasksCreated, Map<Action, Long> counts, List<CustomerPlan> customers) {}

    private final SubscriptionImport imports;
    private final PartnerConnectWise connectWise;
    private final MappingRepository mappings;
    private final MappingResolver resolver;
    private final AdditionCandidates additionCandidates;
    private final SubscriptionMappings subscriptionMappings;
    private final SubscriptionSync sync;
    private final NamedParameterJdbcTemplate jdbc;
    private final SyncTasks syncTasks;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    Onboarding(SubscriptionImport imports, PartnerConnectWise connectWise, MappingRepository mappings,
               MappingResolver resolver, AdditionCandidates additionCandidates, SubscriptionMappings subscriptionMappings,
               SubscriptionSync sync, NamedParameterJdbcTemplate jdbc, SyncTasks syncTasks) {
        this.syncTasks = syncTasks;
        this.imports = imports;
        this.connectWise = connectWise;
        this.mappings = mappings;
        this.resolver = resolver;
        this.additionCandidates = additionCandidates;
        this.subscriptionMappings = subscriptionMappings;
        this.sync = sync;
        this.jdbc = jdbc;
    }

    /**
     * {@code POST …/subscriptions/import}: saves the batch, creates the onboarding tasks, adopts the exact
     * hand-made additions, and enqueues the new tasks; with {@code dryRun} only validates and plans.
     */
    public Report importAndOnboard(String partnerId, JsonNode body, boolean dryRun) {
        return importAndOnboard(partnerId, body, dryRun, true);
    }

    /** As {@link #importAndOnboard(String, JsonNode, boolean)}; with {@code onboard} false only the snapshots are saved (no task). */
    public Report importAndOnboard(String partnerId, JsonNode body, boolean dryRun, boolean onboard) {
        imports.validateAll(partnerId, body);
        List<Subscription> batch = new ArrayList<>();
        for (JsonNode s : body) batch.add(parse(s));
        if (dryRun) {
            return report(true, body.size(), 0, plan(partnerId, batch, Map.of()));
        }
        imports.importAll(partnerId, body);
        if (!onboard) return new Report(false, body.size(), 0, Map.of(), List.of());
        // R7: only this batch is onboarded, so every task created here is planned, marked or queued below and
        // listed in the report (tasksCreated counts exactly the items with a taskId).
        List<SubscriptionImport.OnboardingTask> created = imports.createOnboardingTasks(partnerId,
                batch.stream().map(Subscription::id).distinct().toList());
        Map<String, Long> taskOf = new HashMap<>();
        created.forEach(t -> taskOf.put(t.subscriptionId(), t.taskId()));
        List<Item> items = plan(partnerId, batch, taskOf);
        List<Item> done = new ArrayList<>();
        for (Item item : items) {
            if (item.action() == Action.ADOPT) {
                try {
                    subscriptionMappings.map(partnerId, item.subscriptionId(),
                            new SubscriptionMappingRequest(item.agreementId(), null, item.additionId(), null, null, null));
                } catch (ErrorResponseException e) {
                    item = new Item(item.subscriptionId(), item.customerId(), item.customerName(), Action.LEAVE,
                            "R6: adopting addition " + item.additionId() + " failed: " + e.getBody().getDetail()
                                    + "; the onboarding task waits for its mapping", item.agreementId(), item.additionId(), item.taskId());
                }
            }
            done.add(item);
        }
        // What waits for a mapping is marked so at once (set-based) and synced when that mapping is saved
        // (MappingChanged); only what can sync now is queued.
        Map<Long, String> waiting = new java.util.LinkedHashMap<>();
        done.stream().filter(i -> i.action() == Action.LEAVE && i.taskId() != null)
                .forEach(i -> waiting.put(i.taskId(), "onboarding (R7): " + i.reason()));
        syncTasks.needMapping(waiting);
        for (Item i : done) {
            if (i.action() == Action.LEAVE || i.taskId() == null) continue;
            try {
                sync.enqueue(partnerId, i.subscriptionId());
            } catch (RuntimeException e) {
                // The sync queue is full: the task stays PENDING for the task sync timer or the next start (PendingTasksResume).
                log.warn("Onboarding task {} of subscription {} not queued now: {}", i.taskId(), i.subscriptionId(), e.getMessage());
            }
        }
        return report(false, body.size(), created.size(), done);
    }

    private Subscription parse(JsonNode s) {
        try {
            return json.treeToValue(s, Subscription.class);
        } catch (Exception e) {
            throw io.cwbridge.api.ApiProblems.badRequest("$", "a subscription could not be read: " + e.getMessage());
        }
    }

    /** What onboarding does with each subscription of the batch; only reads (ConnectWise, mappings, tasks). */
    List<Item> plan(String partnerId, List<Subscription> batch, Map<String, Long> taskOf) {
        List<Long> created = taskOf.isEmpty() ? List.of(-1L) : List.copyOf(taskOf.values());
        Set<String> withTasks = new HashSet<>(jdbc.queryForList("""
                SELECT DISTINCT subscription_id FROM sync_task WHERE partner_id = :p AND task_id NOT IN (:created)""",
                Map.of("p", partnerId, "created", created), String.class));
        Set<String> withLines = new HashSet<>(jdbc.queryForList(
                "SELECT DISTINCT subscription_id FROM subscription_line WHERE partner_id = :p", Map.of("p", partnerId), String.class));
        ConnectWiseConnection c = null;
        Map<Long, List<AgreementAddition>> additionsOf = new HashMap<>();
        Map<Long, String> owners = null;
        List<Item> items = new ArrayList<>();
        Map<String, Subscription> unique = new java.util.LinkedHashMap<>();
        batch.forEach(s -> unique.put(s.id(), s));
        for (Subscription s : unique.values()) {
            Long taskId = taskOf.get(s.id());
            String customerId = s.customer().id();
            String customerName = s.customer().name();
            java.util.function.BiFunction<Action, String, Item> leave = (a, why) ->
                    new Item(s.id(), customerId, customerName, a, why, null, null, taskId);
            if (s.status() != null && !"ACTIVE".equalsIgnoreCase(s.status())) {
                items.add(leave.apply(Action.LEAVE, "status " + s.status() + ": only active subscriptions are onboarded (R7)"));
                continue;
            }
            if (withLines.contains(s.id())) {
                items.add(leave.apply(Action.LEAVE, "already synced: the bundle owns its lines"));
                continue;
            }
            if (withTasks.contains(s.id())) {
                items.add(leave.apply(Action.LEAVE, "already has tasks (an event or an earlier onboarding): nothing new is created"));
                continue;
            }
            Optional<CustomerMapping> customer = mappings.customer(partnerId, customerId);
            if (customer.isEmpty()) {
                items.add(leave.apply(Action.LEAVE, "customer " + customerId + " (" + customerName
                        + ") is not mapped to a company (R1): the onboarding task waits for its mapping (NEEDS_MAPPING)"));
                continue;
            }
            Long catalog = mappings.product(partnerId, s.product().id()).map(ProductMapping::catalogItemId).orElse(null);
            try {
                if (c == null) c = connectWise.connection(partnerId);
                if (owners == null) owners = new HashMap<>(additionCandidates.owners(partnerId, null));
                ConnectWiseConnection cw = c;
                Agreement agreement;
                Optional<SubscriptionMapping> mapped = mappings.subscription(partnerId, s.id());
                if (mapped.isPresent()) {
                    agreement = connectWise.resources().agreement(cw, mapped.get().agreementId());
                } else {
                    List<Agreement> eligible = resolver.eligibleAgreements(cw, customer.get().companyId(), s);
                    if (eligible.size() != 1) {
                        items.add(leave.apply(Action.LEAVE, eligible.size() + " eligible agreements of company "
                                + customer.get().companyId() + " (R4, R5): choose one with PUT …/subscriptions/" + s.id()
                                + "/mapping; the onboarding task waits for it (NEEDS_MAPPING)"));
                        continue;
                    }
                    agreement = eligible.get(0);
                }
                long agreementId = agreement.id();
                List<AgreementAddition> held = additionsOf.computeIfAbsent(agreementId, a -> additionCandidates.additions(cw, a, null));
                List<AdditionCandidates.Candidate> found = additionCandidates.rank(cw, s, agreement, catalog, held, owners);
                if (found.isEmpty()) {
                    if (catalog == null) {
                        items.add(leave.apply(Action.LEAVE, "product " + s.product().id()
                                + " is not mapped to a catalog item (R2): the onboarding task waits for it (NEEDS_MAPPING)"));
                    } else {
                        items.add(new Item(s.id(), customerId, customerName, Action.CREATE, "a new base line on agreement "
                                + agreementId + " (R25)", agreementId, null, taskId));
                    }
                    continue;
                }
                List<AdditionCandidates.Candidate> exact = found.stream().filter(AdditionCandidates.Candidate::exact).toList();
                if (catalog == null || exact.size() != 1) {
                    String why = catalog == null ? "its product " + s.product().id() + " is not mapped yet (R2)"
                            : exact.isEmpty() ? "none has the same quantity and unit price" : exact.size() + " have the same quantity and unit price";
                    items.add(new Item(s.id(), customerId, customerName, Action.LEAVE, "ambiguous (R6): agreement " + agreementId
                            + " has " + found.size() + " unowned addition(s) of the product " + found.stream()
                            .map(AdditionCandidates.Candidate::additionId).toList() + " and " + why
                            + "; choose one with PUT …/subscriptions/" + s.id() + "/mapping {agreementId, additionId}",
                            agreementId, null, taskId));
                    continue;
                }
                long additionId = exact.get(0).additionId();
                owners.put(additionId, s.id());
                items.add(new Item(s.id(), customerId, customerName, Action.ADOPT, "R6: addition " + additionId
                        + " has the same catalog item, quantity and unit price; it becomes the base line", agreementId, additionId, taskId));
            } catch (ConnectWiseException e) {
                items.add(leave.apply(Action.LEAVE, "ConnectWise could not be read: " + e.describe()));
            } catch (ErrorResponseException e) {
                items.add(leave.apply(Action.LEAVE, e.getBody().getDetail()));
            }
        }
        return items;
    }

    private static Report report(boolean dryRun, int imported, int created, List<Item> items) {
        Map<String, List<Item>> byCustomer = new java.util.LinkedHashMap<>();
        items.forEach(i -> byCustomer.computeIfAbsent(i.customerId(), k -> new ArrayList<>()).add(i));
        List<CustomerPlan> customers = byCustomer.values().stream()
                .map(list -> new CustomerPlan(list.get(0).customerId(), list.get(0).customerName(), counts(list), list)).toList();
        return new Report(dryRun, imported, created, counts(items), customers);
    }

    private static Map<Action, Long> counts(List<Item> items) {
        Map<Action, Long> counts = new EnumMap<>(Action.class);
        items.forEach(i -> counts.merge(i.action(), 1L, Long::sum));
        return counts;
    }
}
