package io.cwbridge.console;

import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.console.ConsoleNames.PageNames;
import io.cwbridge.mapping.AdditionCandidates;
import io.cwbridge.mapping.AutoMatch;
import io.cwbridge.mapping.ConnectWiseNames;
import io.cwbridge.mapping.ConnectWiseNames.Kind;
import io.cwbridge.mapping.CustomerMapping;
import io.cwbridge.mapping.CustomerMappingRequest;
import io.cwbridge.mapping.CustomerMappings;
import io.cwbridge.mapping.MapAndSync;
import io.cwbridge.mapping.MappingPages;
import io.cwbridge.mapping.MappingPages.CustomerItem;
import io.cwbridge.mapping.MappingPages.Line;
import io.cwbridge.mapping.MappingPages.ProductItem;
import io.cwbridge.mapping.MappingPages.SubscriptionItem;
import io.cwbridge.mapping.MappingStatus;
import io.cwbridge.mapping.ProductMapping;
import io.cwbridge.mapping.ProductMappingRequest;
import io.cwbridge.mapping.ProductMappings;
import io.cwbridge.mapping.SubscriptionMapping;
import io.cwbridge.mapping.SubscriptionMappingRequest;
import io.cwbridge.mapping.SubscriptionMappings;
import io.cwbridge.mapping.WorkbenchRows.Page;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.partner.PartnerSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console's mapping screens (issue 16): customers, products and subscriptions of a partner, a page
 * at a time from {@link MappingPages}, with ConnectWise names next to ids ({@link ConsoleNames}), and
 * per row the actions of the mapping API, through the same services (candidates with scores, map,
 * create, unmap; agreements with map only / map &amp; sync; take over an addition: adopt or cut over).
 *
 * <p>Actions are forms that POST. With htmx (header {@code HX-Request}, not a boosted page load) the
 * answer is the item's own rows ({@code <tbody>}) with the result or the refusal and its fields in
 * place; without it, a redirect to the list with the same message on top.
 */
@Controller
@RequestMapping("/partners/{partnerId}")
public class ConsoleMappingController {

    static final int PAGE_SIZE = ConsolePager.PAGE_SIZE;

    private final PartnerConnectionRepository partners;
    private final MappingPages pages;
    private final ConsoleNames consoleNames;
    private final ConnectWiseNames names;
    private final AutoMatch autoMatch;
    private final AdditionCandidates additionCandidates;
    private final CustomerMappings customers;
    private final ProductMappings products;
    private final SubscriptionMappings subscriptions;

    ConsoleMappingController(PartnerConnectionRepository partners, MappingPages pages, ConsoleNames consoleNames,
                             ConnectWiseNames names, AutoMatch autoMatch, AdditionCandidates additionCandidates,
                             CustomerMappings customers, ProductMappings products, SubscriptionMappings subscriptions) {
        this.partners = partners;
        this.pages = pages;
        this.consoleNames = consoleNames;
        this.names = names;
        this.autoMatch = autoMatch;
        this.additionCandidates = additionCandidates;
        this.customers = customers;
        this.products = products;
        this.subscriptions = subscriptions;
    }

    /**
     * What an action or a look-up left under an item's row: the result, or the refusal with its fields,
     * and the choices it offers (candidates, agreements, additions). {@code chosen} keeps what was entered.
     */
    public record Panel(String result, String error, List<FieldProblem> errors, List<AutoMatch.Candidate> candidates,
                        List<AutoMatch.AgreementChoice> agreements, List<AdditionCandidates.Candidate> additions,
                        String chosen) {

        static Panel result(String text) {
            return new Panel(text, null, List.of(), null, null, null, null);
        }

        static Panel refused(String error, List<FieldProblem> errors, String chosen) {
            return new Panel(null, error, errors, null, null, null, chosen);
        }

        /** The message of a field, for the input it concerns. */
        public String fieldError(String field) {
            return errors == null ? null : errors.stream().filter(e -> field.equals(e.field())).map(FieldProblem::message)
                    .findFirst().orElse(null);
        }
    }

    /** Before any list or action: an unknown partner is the 404 page, and nothing is looked up or changed for it. */
    @org.springframework.web.bind.annotation.ModelAttribute
    void knownPartner(@PathVariable String partnerId) {
        ConsolePartners.requireKnown(partners, partnerId);
    }

    // ---- lists ----------------------------------------------------------------------------------

    @GetMapping("/customers")
    String customerList(@PathVariable String partnerId, @RequestParam(required = false) String q,
                        @RequestParam(required = false) String status, @RequestParam(defaultValue = "1") int page, Model model) {
        return list(partnerId, "customers", q, status, page, model, (s, offset) -> {
            Page<CustomerItem> found = pages.customers(partnerId, s, q, PAGE_SIZE, offset);
            model.addAttribute("names", consoleNames.of(partnerId, found.items().stream().map(CustomerItem::companyId).toList(),
                    List.of(), List.of(), List.of()));
            return found;
        });
    }

    @GetMapping("/products")
    String productList(@PathVariable String partnerId, @RequestParam(required = false) String q,
                       @RequestParam(required = false) String status, @RequestParam(defaultValue = "1") int page, Model model) {
        return list(partnerId, "products", q, status, page, model, (s, offset) -> {
            Page<ProductItem> found = pages.products(partnerId, s, q, PAGE_SIZE, offset);
            model.addAttribute("names", consoleNames.of(partnerId, List.of(),
                    found.items().stream().map(ProductItem::catalogItemId).toList(), List.of(), List.of()));
            return found;
        });
    }

    @GetMapping("/subscriptions")
    String subscriptionList(@PathVariable String partnerId, @RequestParam(required = false) String q,
                            @RequestParam(required = false) String status, @RequestParam(defaultValue = "1") int page,
                            Model model) {
        return list(partnerId, "subscriptions", q, status, page, model, (s, offset) -> {
            Page<SubscriptionItem> found = pages.subscriptions(partnerId, s, q, PAGE_SIZE, offset);
            model.addAttribute("names", subscriptionNames(partnerId, found.items()));
            return found;
        });
    }

    private String list(String partnerId, String screen, String q, String status, int page, Model model,
                        java.util.function.BiFunction<MappingStatus, Integer, Page<?>> load) {
        layout(partnerId, screen, model);
        MappingStatus filter = Arrays.stream(MappingStatus.values()).filter(s -> s.name().equals(status)).findFirst().orElse(null);
        int current = Math.max(page, 1);
        Page<?> found = load.apply(filter, (current - 1) * PAGE_SIZE);
        model.addAttribute("page", found);
        model.addAttribute("counts", found.counts());
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("statuses", MappingStatus.values());
        model.addAttribute("status", filter == null ? "" : filter.name());
        ConsolePager.put(model, current, found.total());
        if (!model.containsAttribute("panels")) model.addAttribute("panels", Map.of());
        return "console/" + screen;
    }

    // ---- customers ------------------------------------------------------------------------------

    @GetMapping("/customers/{customerId}/candidates")
    String customerCandidates(@PathVariable String partnerId, @PathVariable String customerId,
                              @RequestHeader HttpHeaders headers, Model model,
                              RedirectAttributes flash) {
        Panel panel = candidates(partnerId, Kind.COMPANY, () -> autoMatch.customerCandidates(partnerId, customerId),
                c -> new ConnectWiseNames.Name(c.name(), c.identifier(), false),
                "No company in ConnectWise has a name close to this customer's.");
        return customerRow(partnerId, customerId, panel, inPlace(headers), model, flash);
    }

    @PostMapping("/customers/{customerId}/map")
    String mapCustomer(@PathVariable String partnerId, @PathVariable String customerId,
                       @RequestParam(required = false) String companyId,
                       @RequestHeader HttpHeaders headers, Model model,
                       RedirectAttributes flash) {
        Panel panel = withId("companyId", companyId, "a company", id -> {
            CustomerMapping saved = customers.map(partnerId, customerId, new CustomerMappingRequest(id, null), false);
            return Panel.result("Mapped to company " + named(partnerId, Kind.COMPANY, saved.companyId()) + ".");
        });
        return customerRow(partnerId, customerId, panel, inPlace(headers), model, flash);
    }

    @PostMapping("/customers/{customerId}/create")
    String createCustomer(@PathVariable String partnerId, @PathVariable String customerId,
                          @RequestHeader HttpHeaders headers, Model model,
                          RedirectAttributes flash) {
        Panel panel = attempt(null, () -> {
            CustomerMapping saved = customers.map(partnerId, customerId, new CustomerMappingRequest(null, true), false);
            return Panel.result((Boolean.FALSE.equals(saved.created()) ? "Mapped to the existing company " : "Created company ")
                    + named(partnerId, Kind.COMPANY, saved.companyId()) + ".");
        });
        return customerRow(partnerId, customerId, panel, inPlace(headers), model, flash);
    }

    @PostMapping("/customers/{customerId}/unmap")
    String unmapCustomer(@PathVariable String partnerId, @PathVariable String customerId,
                         @RequestHeader HttpHeaders headers, Model model,
                         RedirectAttributes flash) {
        Panel panel = attempt(null, () -> {
            // R1 (v2): as the API's DELETE without ?replace=true, refused while subscriptions are on the company's agreements
            customers.unmap(partnerId, customerId, false);
            return Panel.result("Unmapped; the company in ConnectWise is left as it is.");
        });
        return customerRow(partnerId, customerId, panel, inPlace(headers), model, flash);
    }

    private String customerRow(String partnerId, String customerId, Panel panel, boolean inPlace, Model model,
                               RedirectAttributes flash) {
        return row(partnerId, "customers", "customer", customerId, panel, inPlace, model, flash, () -> {
            CustomerItem item = pages.customer(partnerId, customerId);
            model.addAttribute("item", item != null ? item
                    : new CustomerItem(customerId, null, MappingStatus.UNMAPPED, null, null, 0));
            model.addAttribute("names", consoleNames.of(partnerId, item == null || item.companyId() == null ? List.of()
                    : List.of(item.companyId()), List.of(), List.of(), List.of()));
            return pages.customers(partnerId, null, null, 1, 0).counts();
        });
    }

    // ---- products -------------------------------------------------------------------------------

    @GetMapping("/products/{productId}/candidates")
    String productCandidates(@PathVariable String partnerId, @PathVariable String productId,
                             @RequestHeader HttpHeaders headers, Model model,
                             RedirectAttributes flash) {
        Panel panel = candidates(partnerId, Kind.CATALOG_ITEM, () -> autoMatch.productCandidates(partnerId, productId),
                c -> new ConnectWiseNames.Name(c.identifier(), c.name(), false),
                "No catalog item in ConnectWise has a description close to this product's plan.");
        return productRow(partnerId, productId, panel, inPlace(headers), model, flash);
    }

    @PostMapping("/products/{productId}/map")
    String mapProduct(@PathVariable String partnerId, @PathVariable String productId,
                      @RequestParam(required = false) String catalogItemId,
                      @RequestHeader HttpHeaders headers, Model model,
                      RedirectAttributes flash) {
        Panel panel = withId("catalogItemId", catalogItemId, "a catalog item", id -> {
            ProductMapping saved = products.map(partnerId, productId, new ProductMappingRequest(id, null), false);
            return Panel.result("Mapped to catalog item " + named(partnerId, Kind.CATALOG_ITEM, saved.catalogItemId()) + ".");
        });
        return productRow(partnerId, productId, panel, inPlace(headers), model, flash);
    }

    @PostMapping("/products/{productId}/create")
    String createProduct(@PathVariable String partnerId, @PathVariable String productId,
                         @RequestHeader HttpHeaders headers, Model model,
                         RedirectAttributes flash) {
        Panel panel = attempt(null, () -> {
            ProductMapping saved = products.map(partnerId, productId, new ProductMappingRequest(null, true), false);
            return Panel.result((Boolean.FALSE.equals(saved.created()) ? "Mapped to the existing catalog item "
                    : "Created catalog item ") + named(partnerId, Kind.CATALOG_ITEM, saved.catalogItemId()) + ".");
        });
        return productRow(partnerId, productId, panel, inPlace(headers), model, flash);
    }

    @PostMapping("/products/{productId}/unmap")
    String unmapProduct(@PathVariable String partnerId, @PathVariable String productId,
                        @RequestHeader HttpHeaders headers, Model model,
                        RedirectAttributes flash) {
        Panel panel = attempt(null, () -> {
            products.unmap(partnerId, productId);
            return Panel.result("Unmapped; the catalog item in ConnectWise is left as it is.");
        });
        return productRow(partnerId, productId, panel, inPlace(headers), model, flash);
    }

    private String productRow(String partnerId, String productId, Panel panel, boolean inPlace, Model model,
                              RedirectAttributes flash) {
        return row(partnerId, "products", "product", productId, panel, inPlace, model, flash, () -> {
            ProductItem item = pages.product(partnerId, productId);
            model.addAttribute("item", item != null ? item
                    : new ProductItem(productId, null, null, null, MappingStatus.UNMAPPED, null, null, 0));
            model.addAttribute("names", consoleNames.of(partnerId, List.of(), item == null || item.catalogItemId() == null
                    ? List.of() : List.of(item.catalogItemId()), List.of(), List.of()));
            return pages.products(partnerId, null, null, 1, 0).counts();
        });
    }

    // ---- subscriptions --------------------------------------------------------------------------

    @GetMapping("/subscriptions/{subscriptionId}/agreements")
    String agreements(@PathVariable String partnerId, @PathVariable String subscriptionId,
                      @RequestHeader HttpHeaders headers, Model model,
                      RedirectAttributes flash) {
        Panel panel = attempt(null, () -> {
            List<AutoMatch.AgreementChoice> found = autoMatch.agreementChoices(partnerId, subscriptionId);
            names.remember(partnerId, Kind.AGREEMENT, found.stream().collect(Collectors.toMap(AutoMatch.AgreementChoice::id,
                    a -> new ConnectWiseNames.Name(a.name(), null, false), (a, b) -> a, LinkedHashMap::new)));
            String chosen = found.stream().filter(AutoMatch.AgreementChoice::eligible).findFirst()
                    .map(a -> String.valueOf(a.id())).orElse(null);
            return new Panel(found.isEmpty() ? "The customer's company has no agreement in ConnectWise." : null, null,
                    List.of(), null, found, null, chosen);
        });
        return subscriptionRow(partnerId, subscriptionId, panel, inPlace(headers), model, flash);
    }

    /** Map only, or map &amp; sync ({@code sync=true}: the subscription's waiting tasks run at once, as {@code PUT …/mapping?sync=true}). */
    @PostMapping("/subscriptions/{subscriptionId}/map")
    String mapSubscription(@PathVariable String partnerId, @PathVariable String subscriptionId,
                           @RequestParam(required = false) String agreementId, @RequestParam(defaultValue = "false") boolean sync,
                           @RequestHeader HttpHeaders headers, Model model,
                           RedirectAttributes flash) {
        Panel panel = withId("agreementId", agreementId, "an agreement", id -> {
            SubscriptionMapping saved = subscriptions.map(partnerId, subscriptionId, new SubscriptionMappingRequest(id, null), sync);
            return Panel.result("Mapped to agreement " + named(partnerId, Kind.AGREEMENT, saved.agreementId()) + "."
                    + tasks(saved.tasks(), sync));
        });
        return subscriptionRow(partnerId, subscriptionId, panel, inPlace(headers), model, flash);
    }

    /** R6: the additions the subscription could take over, ranked (as {@code GET …/addition-candidates}). */
    @GetMapping("/subscriptions/{subscriptionId}/takeover")
    String takeover(@PathVariable String partnerId, @PathVariable String subscriptionId,
                    @RequestParam(required = false) String agreementId,
                    @RequestHeader HttpHeaders headers, Model model,
                    RedirectAttributes flash) {
        Panel panel;
        if (agreementId != null && !agreementId.isBlank() && positive(agreementId) == null) {
            panel = Panel.refused("No additions were looked up.", List.of(new FieldProblem("agreementId",
                    "must be a positive whole number")), agreementId);
        } else {
            Long agreement = agreementId == null || agreementId.isBlank() ? null : positive(agreementId);
            panel = attempt(agreementId, () -> {
                List<AdditionCandidates.Candidate> found = additionCandidates.candidates(partnerId, subscriptionId, agreement);
                rememberAdditions(partnerId, found);
                return new Panel(found.isEmpty() ? "No hand-made addition of its catalog item to take over on the agreement; "
                        + "map it to the agreement to bill it on a line of its own." : null, null, List.of(), null, null, found, null);
            });
        }
        return subscriptionRow(partnerId, subscriptionId, panel, inPlace(headers), model, flash);
    }

    /** R6: adopt the addition as the base line, or cut over from it ({@code cutover=true}), as {@code PUT …/mapping}. */
    @PostMapping("/subscriptions/{subscriptionId}/adopt")
    String adopt(@PathVariable String partnerId, @PathVariable String subscriptionId,
                 @RequestParam(required = false) String agreementId, @RequestParam(required = false) String additionId,
                 @RequestParam(defaultValue = "false") boolean cutover, @RequestParam(defaultValue = "false") boolean sync,
                 @RequestHeader HttpHeaders headers, Model model,
                 RedirectAttributes flash) {
        List<FieldProblem> wrong = new ArrayList<>();
        Long agreement = agreementId == null || agreementId.isBlank() ? null : positive(agreementId);
        if (agreementId != null && !agreementId.isBlank() && agreement == null) {
            wrong.add(new FieldProblem("agreementId", "must be a positive whole number"));
        }
        Long addition = positive(additionId);
        if (addition == null) {
            wrong.add(new FieldProblem("additionId", additionId == null || additionId.isBlank()
                    ? "is required: choose an addition to take over" : "must be a positive whole number"));
        }
        Panel panel = !wrong.isEmpty() ? Panel.refused("Nothing was taken over.", wrong, additionId) : attempt(additionId, () -> {
            SubscriptionMapping saved = subscriptions.map(partnerId, subscriptionId, new SubscriptionMappingRequest(agreement, null,
                    addition, null, null, null, cutover ? Boolean.TRUE : null), sync);
            String done;
            if (saved.cutover() != null) {
                var cut = saved.cutover();
                done = "Cut over: addition " + cut.endedAdditionId() + switch (String.valueOf(cut.handMade())) {
                    case "END" -> " ends on " + cut.endedOn();
                    case "DELETE" -> " was never invoiced and is deleted";
                    default -> " is left as it is";
                } + "; the bundle bills from " + cut.cutOn() + " on addition " + cut.baseAdditionId() + ".";
            } else if (saved.adoption() != null) {
                if (saved.adoption().description() != null) {
                    names.remember(partnerId, Kind.ADDITION, saved.adoption().additionId(), saved.adoption().description(), null);
                }
                done = "Adopted addition " + named(partnerId, Kind.ADDITION, saved.adoption().additionId()) + " of agreement "
                        + named(partnerId, Kind.AGREEMENT, saved.agreementId()) + " as the base line (" + saved.adoption().lineKey() + ").";
            } else {
                done = "Mapped to agreement " + named(partnerId, Kind.AGREEMENT, saved.agreementId()) + ".";
            }
            return Panel.result(done + tasks(saved.tasks(), sync));
        });
        return subscriptionRow(partnerId, subscriptionId, panel, inPlace(headers), model, flash);
    }

    @PostMapping("/subscriptions/{subscriptionId}/unmap")
    String unmapSubscription(@PathVariable String partnerId, @PathVariable String subscriptionId,
                             @RequestHeader HttpHeaders headers, Model model,
                             RedirectAttributes flash) {
        Panel panel = attempt(null, () -> {
            subscriptions.unmap(partnerId, subscriptionId);
            return Panel.result("Unmapped; its additions in ConnectWise are left as they are and no longer updated.");
        });
        return subscriptionRow(partnerId, subscriptionId, panel, inPlace(headers), model, flash);
    }

    private String subscriptionRow(String partnerId, String subscriptionId, Panel panel, boolean inPlace, Model model,
                                   RedirectAttributes flash) {
        return row(partnerId, "subscriptions", "subscription", subscriptionId, panel, inPlace, model, flash, () -> {
            SubscriptionItem item = pages.subscription(partnerId, subscriptionId);
            model.addAttribute("item", item != null ? item : new SubscriptionItem(subscriptionId, null, null, null, null, null,
                    false, MappingStatus.UNMAPPED, null, null, null, null, null, List.of()));
            model.addAttribute("names", subscriptionNames(partnerId, item == null ? List.of() : List.of(item)));
            return pages.subscriptions(partnerId, null, null, 1, 0).counts();
        });
    }

    /**
     * An action's answer: without htmx a redirect to the list; with it the item's rows ({@code item} puts the item and
     * its names in the model and answers the counts per status, which the answer carries out of band).
     */
    private String row(String partnerId, String screen, String kind, String id, Panel panel, boolean inPlace, Model model,
                       RedirectAttributes flash, Supplier<Map<MappingStatus, Long>> item) {
        if (!inPlace) return redirect(partnerId, screen, id, panel, flash);
        fragmentLayout(partnerId, model);
        Map<MappingStatus, Long> counts = item.get();
        model.addAttribute("panel", panel);
        model.addAttribute("screen", screen);
        model.addAttribute("statuses", MappingStatus.values());
        model.addAttribute("counts", counts);
        model.addAttribute("oob", true);
        return "console/mapping :: answer(kind='" + kind + "')";
    }

    /** The ranked candidates of a customer or product, their names remembered; the best one chosen. */
    private Panel candidates(String partnerId, Kind kind, Supplier<List<AutoMatch.Candidate>> lookUp,
                             java.util.function.Function<AutoMatch.Candidate, ConnectWiseNames.Name> name, String none) {
        return attempt(null, () -> {
            List<AutoMatch.Candidate> found = lookUp.get();
            names.remember(partnerId, kind, found.stream().collect(Collectors.toMap(AutoMatch.Candidate::id, name,
                    (a, b) -> a, LinkedHashMap::new)));
            return new Panel(found.isEmpty() ? none : null, null, List.of(), found, null, null,
                    found.isEmpty() ? null : String.valueOf(found.get(0).id()));
        });
    }

    private PageNames subscriptionNames(String partnerId, List<SubscriptionItem> items) {
        List<Line> lines = items.stream().flatMap(i -> i.lines().stream()).toList();
        return consoleNames.of(partnerId, items.stream().map(SubscriptionItem::companyId).toList(),
                items.stream().map(SubscriptionItem::catalogItemId).toList(),
                items.stream().map(SubscriptionItem::agreementId).toList(), lines);
    }

    private void rememberAdditions(String partnerId, List<AdditionCandidates.Candidate> found) {
        Map<Long, ConnectWiseNames.Name> additions = new HashMap<>();
        Map<Long, ConnectWiseNames.Name> agreements = new HashMap<>();
        Map<Long, ConnectWiseNames.Name> items = new HashMap<>();
        for (AdditionCandidates.Candidate c : found) {
            additions.put(c.additionId(), new ConnectWiseNames.Name(c.description(), c.catalogItemIdentifier(), false));
            if (c.agreementName() != null) agreements.put(c.agreementId(), new ConnectWiseNames.Name(c.agreementName(), null, false));
            if (c.catalogItemId() != null) {
                items.put(c.catalogItemId(), new ConnectWiseNames.Name(c.catalogItemIdentifier(), c.catalogItemDescription(), false));
            }
        }
        names.remember(partnerId, Kind.ADDITION, additions);
        names.remember(partnerId, Kind.AGREEMENT, agreements);
        names.remember(partnerId, Kind.CATALOG_ITEM, items);
    }

    // ---- common ---------------------------------------------------------------------------------

    /** The name the table has for the record, next to its id: "Chairs Unlimited (250)", else the id alone. */
    private String named(String partnerId, Kind kind, long id) {
        ConnectWiseNames.Name n = names.of(partnerId, kind, List.of(id)).get(id);
        String label = n == null || n.missing() ? null : kind == Kind.CATALOG_ITEM ? n.label() : n.name();
        return label == null ? String.valueOf(id) : label + " (" + id + ")";
    }

    private static String tasks(List<MapAndSync.SyncedTask> tasks, boolean sync) {
        if (!sync) return " Its waiting tasks run with the next sync.";
        if (tasks == null || tasks.isEmpty()) return " No task was waiting.";
        return " Tasks: " + tasks.stream().map(t -> t.taskId() + " " + t.status() + (t.reason() == null ? "" : " (" + t.reason() + ")"))
                .collect(Collectors.joining(", ")) + ".";
    }

    /** An id entered or chosen in a form: required, a positive whole number, else a field problem of its own. */
    private static Panel withId(String field, String value, String what, java.util.function.Function<Long, Panel> action) {
        Long id = positive(value);
        if (id == null) {
            String message = value == null || value.isBlank() ? "is required: choose " + what + " or enter its id"
                    : "must be a positive whole number";
            return Panel.refused("Nothing was mapped.", List.of(new FieldProblem(field, message)), value);
        }
        return attempt(value, () -> action.apply(id));
    }

    private static Long positive(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            long id = Long.parseLong(value.strip());
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Runs an action; a refusal of the API's services becomes the panel's error with its fields. */
    private static Panel attempt(String chosen, Supplier<Panel> action) {
        try {
            return action.get();
        } catch (ErrorResponseException e) {
            return Panel.refused(e.getBody().getDetail(), ConsoleRefusals.fields(e.getBody()), chosen);
        } catch (RuntimeException e) {
            // e.g. ConnectWise unreachable during map & sync: the task shows its own failure too
            return Panel.refused("The action failed: " + e.getMessage(), List.of(), chosen);
        }
    }

    /** An htmx request (header {@code HX-Request}) that is not a boosted page load: the answer is the item's rows. */
    private static boolean inPlace(HttpHeaders headers) {
        return "true".equals(headers.getFirst("HX-Request")) && !"true".equals(headers.getFirst("HX-Boosted"));
    }

    /** Without htmx: back to the list, searching for the item, with the outcome on top. */
    private String redirect(String partnerId, String screen, String id, Panel panel, RedirectAttributes flash) {
        known(partnerId);
        if (panel.error() != null) {
            flash.addFlashAttribute("error", panel.error());
            flash.addFlashAttribute("errors", panel.errors());
        } else if (panel.result() != null) {
            flash.addFlashAttribute("result", id + ": " + panel.result());
        }
        flash.addFlashAttribute("panels", Map.of(id, panel));
        return "redirect:" + UriComponentsBuilder.fromPath("/partners/{p}/" + screen).queryParam("q", "{q}")
                .buildAndExpand(partnerId, id).encode().toUriString();
    }

    private void fragmentLayout(String partnerId, Model model) {
        PartnerSummary current = known(partnerId);
        model.addAttribute("partner", current);
    }

    private PartnerSummary known(String partnerId) {
        return ConsolePartners.find(partners.partners(), partnerId);
    }

    private void layout(String partnerId, String screen, Model model) {
        ConsolePartners.layout(partners.partners(), partnerId, screen, model);
    }

}
