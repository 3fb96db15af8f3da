package io.cwbridge.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.mapping.KnownSubscriptions;
import io.cwbridge.mapping.ProductDefaultRule;
import io.cwbridge.mapping.ProductDefaultRuleRequest;
import io.cwbridge.mapping.ProductDefaultRuleRequest.ConditionRequest;
import io.cwbridge.mapping.ProductDefaultRules;
import io.cwbridge.notifications.DigestKind;
import io.cwbridge.notifications.MailProperties;
import io.cwbridge.notifications.NotificationSettings;
import io.cwbridge.notifications.NotificationSettingsController;
import io.cwbridge.partner.ConnectionRemoved;
import io.cwbridge.partner.ConnectionRequest;
import io.cwbridge.partner.ConnectionTestResult;
import io.cwbridge.partner.ConnectionTester;
import io.cwbridge.partner.PartnerConnectionController;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.syncrules.SyncRulesController;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's settings screens (issue 16): sync rules, product default rules, notifications and
 * the ConnectWise connection. Every change goes through the API's own controller or service, so
 * the screens check exactly what the API checks and have no rules of their own. A change that is
 * saved redirects to its page (which shows the result); a refused one renders the page again with
 * each problem next to its field (200, so htmx swaps it in place).
 */
@Controller
public class ConsoleSettingsController {

    private final PartnerConnectionRepository partners;
    private final SyncRulesController syncRules;
    private final ProductDefaultRules productRules;
    private final KnownSubscriptions known;
    private final NotificationSettingsController notifications;
    private final MailProperties mail;
    private final ProducerTemplate producer;
    private final PartnerConnectionController connection;
    private final Validator validator;
    private final ObjectMapper mapper;

    public ConsoleSettingsController(PartnerConnectionRepository partners, SyncRulesController syncRules,
            ProductDefaultRules productRules, KnownSubscriptions known, NotificationSettingsController notifications,
            MailProperties mail, ProducerTemplate producer, PartnerConnectionController connection, Validator validator,
            ObjectMapper mapper) {
        this.partners = partners;
        this.syncRules = syncRules;
        this.productRules = productRules;
        this.known = known;
        this.notifications = notifications;
        this.mail = mail;
        this.producer = producer;
        this.connection = connection;
        this.validator = validator;
        this.mapper = mapper;
    }

    // ---- sync rules (SPEC §4) ----

    /** One rule of the screen: its words and the values it has now. */
    public record RuleRow(SyncRuleChoices.Rule rule, Set<String> selected) {
        public boolean has(String value) {
            return selected.contains(value);
        }
    }

    @GetMapping("/partners/{partnerId}/sync-rules")
    String syncRules(@PathVariable String partnerId, Model model) {
        layout(partnerId, "sync-rules", model);
        JsonNode current = mapper.valueToTree(syncRules.get(partnerId));
        // after a refusal the form shows what was chosen (SUBSET lists by their marker), else what is saved
        JsonNode typed = model.getAttribute("typedRules") instanceof JsonNode t ? t : JsonNodeFactory.instance.objectNode();
        List<RuleRow> rows = new ArrayList<>();
        for (SyncRuleChoices.Rule rule : SyncRuleChoices.RULES) {
            Set<String> selected = new HashSet<>();
            JsonNode value = typed.has(rule.name()) ? typed.get(rule.name()) : current.path(rule.name());
            if (value.isArray()) value.forEach(v -> selected.add(v.asText()));
            else selected.add(value.asText());
            rows.add(new RuleRow(rule, selected));
        }
        model.addAttribute("rules", rows);
        return "console/sync-rules";
    }

    /**
     * The form's values as the API's PUT body: flags as booleans, field lists as arrays (a list's
     * hidden marker {@code _name} says it was on the form, so none ticked is an empty list), other
     * values as text. A value that is none of the choices (a stale or altered form) goes as it came,
     * so the API's validation names it.
     */
    @PostMapping("/partners/{partnerId}/sync-rules")
    String saveSyncRules(@PathVariable String partnerId, @RequestParam MultiValueMap<String, String> form, Model model,
                         RedirectAttributes flash) {
        layout(partnerId, "sync-rules", model);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        for (SyncRuleChoices.Rule rule : SyncRuleChoices.RULES) {
            List<String> values = form.get(rule.name());
            switch (rule.kind()) {
                case SUBSET -> {
                    if (values == null && !form.containsKey("_" + rule.name())) continue;
                    ArrayNode list = body.putArray(rule.name());
                    if (values != null) values.forEach(list::add);
                }
                case FLAG -> {
                    if (values == null || values.isEmpty()) continue;
                    String v = values.get(0);
                    body.set(rule.name(), "true".equals(v) || "false".equals(v) ? BooleanNode.valueOf(Boolean.parseBoolean(v))
                            : TextNode.valueOf(v));
                }
                case ONE_OF -> {
                    if (values == null || values.isEmpty()) continue;
                    body.put(rule.name(), values.get(0));
                }
            }
        }
        try {
            syncRules.put(partnerId, body);
        } catch (ErrorResponseException e) {
            refused(model, e);
            model.addAttribute("typedRules", body);
            return syncRules(partnerId, model);
        }
        flash.addFlashAttribute("result", "Sync rules saved.");
        return "redirect:/partners/" + partnerId + "/sync-rules";
    }

    // ---- product default rules (R3, seed 002) ----

    /** A known product: its id and the name its latest event gave. */
    public record ProductName(String productId, String name) {}

    /** A rule on the screen and the known products whose new catalog item it decides. */
    public record ProductRuleRow(ProductDefaultRule rule, List<ProductName> products, boolean first, boolean last) {
        public String key() {
            return rule.defaultRule() ? "default" : String.valueOf(rule.ruleId());
        }
    }

    static final int CONDITION_ROWS = 3;

    @GetMapping("/partners/{partnerId}/product-rules")
    String productRules(@PathVariable String partnerId, Model model) {
        layout(partnerId, "product-rules", model);
        Map<String, String> names = new TreeMap<>();
        known.all(partnerId).forEach(k -> {
            if (k.productId() != null && k.productFields() != null) {
                names.putIfAbsent(k.productId(), firstNonBlank(k.productFields().get("plan"), k.productFields().get("name")));
            }
        });
        List<ProductDefaultRule> all = productRules.all(partnerId);
        List<ProductDefaultRule> custom = all.stream().filter(r -> !r.defaultRule()).toList();
        List<ProductRuleRow> rows = new ArrayList<>();
        for (ProductDefaultRule rule : all) {
            List<ProductName> products = productRules.productsOf(partnerId, rule.defaultRule() ? null : rule.ruleId()).stream()
                    .map(id -> new ProductName(id, names.get(id))).toList();
            int at = custom.indexOf(rule);
            rows.add(new ProductRuleRow(rule, products, at == 0, at == custom.size() - 1));
        }
        model.addAttribute("rules", rows);
        model.addAttribute("operators", ProductDefaultRule.Operator.values());
        model.addAttribute("conditionRows", CONDITION_ROWS);
        model.addAttribute("productClasses", List.of("Agreement", "Bundle", "Inventory", "NonInventory", "Service"));
        model.addAttribute("knownProducts", names.size());
        return "console/product-rules";
    }

    @PostMapping("/partners/{partnerId}/product-rules")
    String addProductRule(@PathVariable String partnerId, @RequestParam MultiValueMap<String, String> form, Model model,
                          RedirectAttributes flash) {
        layout(partnerId, "product-rules", model);
        return productRuleChange(partnerId, "new", form, model, flash, request -> productRules.create(partnerId, request), "Added");
    }

    @PostMapping("/partners/{partnerId}/product-rules/{ruleId:\\d+}")
    String editProductRule(@PathVariable String partnerId, @PathVariable long ruleId,
                           @RequestParam MultiValueMap<String, String> form, Model model, RedirectAttributes flash) {
        layout(partnerId, "product-rules", model);
        return productRuleChange(partnerId, String.valueOf(ruleId), form, model, flash,
                request -> productRules.update(partnerId, ruleId, request), "Saved");
    }

    @PostMapping("/partners/{partnerId}/product-rules/default")
    String editDefaultRule(@PathVariable String partnerId, @RequestParam MultiValueMap<String, String> form, Model model,
                           RedirectAttributes flash) {
        layout(partnerId, "product-rules", model);
        MultiValueMap<String, String> fields = new LinkedMultiValueMap<>(form);
        fields.remove("conditionField"); // the default rule has no conditions (the API ignores them)
        return productRuleChange(partnerId, "default", fields, model, flash,
                request -> productRules.updateDefault(partnerId, request), "Saved");
    }

    @PostMapping("/partners/{partnerId}/product-rules/{ruleId:\\d+}/delete")
    String deleteProductRule(@PathVariable String partnerId, @PathVariable long ruleId, Model model, RedirectAttributes flash) {
        layout(partnerId, "product-rules", model);
        try {
            productRules.delete(partnerId, ruleId);
        } catch (ErrorResponseException e) {
            refused(model, e);
            return productRules(partnerId, model);
        }
        flash.addFlashAttribute("result", "Deleted rule " + ruleId + ".");
        return "redirect:/partners/" + partnerId + "/product-rules";
    }

    /**
     * Moves a custom rule one place up or down: the rules are numbered again 10, 20, 30… in their
     * new order (only those whose priority changes are saved), so equal priorities sort as shown.
     */
    @PostMapping("/partners/{partnerId}/product-rules/{ruleId:\\d+}/move")
    String moveProductRule(@PathVariable String partnerId, @PathVariable long ruleId, @RequestParam String direction,
                           Model model, RedirectAttributes flash) {
        layout(partnerId, "product-rules", model);
        List<ProductDefaultRule> custom = new ArrayList<>(productRules.all(partnerId).stream().filter(r -> !r.defaultRule()).toList());
        int at = -1;
        for (int i = 0; i < custom.size(); i++) if (custom.get(i).ruleId() == ruleId) at = i;
        int to = at + ("up".equals(direction) ? -1 : 1);
        if (at < 0 || to < 0 || to >= custom.size() || !List.of("up", "down").contains(direction)) {
            model.addAttribute("error", at < 0 ? "Partner " + partnerId + " has no product default rule " + ruleId + "."
                    : "Rule " + ruleId + " cannot move " + direction + ".");
            return productRules(partnerId, model);
        }
        custom.add(to, custom.remove(at));
        for (int i = 0; i < custom.size(); i++) {
            ProductDefaultRule r = custom.get(i);
            int priority = (i + 1) * 10;
            if (r.priority() != priority) productRules.update(partnerId, r.ruleId(), request(r, priority));
        }
        flash.addFlashAttribute("result", "Moved rule " + ruleId + " " + direction + ".");
        return "redirect:/partners/" + partnerId + "/product-rules";
    }

    private interface RuleSave {
        ProductDefaultRule save(ProductDefaultRuleRequest request);
    }

    /** Builds the API's request from the form, checks it with its own constraints, then saves it through the service. */
    private String productRuleChange(String partnerId, String formKey, MultiValueMap<String, String> form, Model model,
                                     RedirectAttributes flash, RuleSave save, String done) {
        List<FieldProblem> errors = new ArrayList<>();
        Integer priority = null;
        String priorityText = form.getFirst("priority");
        if (priorityText != null && !priorityText.isBlank()) {
            try {
                priority = Integer.valueOf(priorityText.strip());
            } catch (NumberFormatException e) {
                errors.add(new FieldProblem("priority", "must be a whole number"));
            }
        }
        List<ConditionRequest> conditions = new ArrayList<>();
        List<String> fields = form.getOrDefault("conditionField", List.of());
        List<String> operators = form.getOrDefault("conditionOperator", List.of());
        List<String> values = form.getOrDefault("conditionValue", List.of());
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            String value = i < values.size() ? values.get(i) : null;
            if ((field == null || field.isBlank()) && (value == null || value.isBlank())) continue; // an unused row
            String operator = i < operators.size() ? operators.get(i) : null;
            ProductDefaultRule.Operator op = Arrays.stream(ProductDefaultRule.Operator.values())
                    .filter(o -> o.name().equals(operator)).findFirst().orElse(null);
            if (op == null) {
                errors.add(new FieldProblem("conditions[" + conditions.size() + "].operator", "must be one of "
                        + String.join(", ", Arrays.stream(ProductDefaultRule.Operator.values()).map(Enum::name).toList())));
            }
            conditions.add(new ConditionRequest(field == null ? null : field.strip(), op, value == null ? "" : value.strip()));
        }
        ProductDefaultRuleRequest request = new ProductDefaultRuleRequest(text(form, "name"), priority, conditions,
                text(form, "category"), text(form, "subcategory"), text(form, "type"), blankToNull(text(form, "productClass")));
        errors.addAll(violations(request));
        if (errors.isEmpty()) {
            try {
                ProductDefaultRule saved = save.save(request);
                flash.addFlashAttribute("result", done + " rule " + (saved.defaultRule() ? "Default" : saved.ruleId())
                        + " (" + saved.name() + ").");
                flash.addFlashAttribute("changed", saved.defaultRule() ? "default" : String.valueOf(saved.ruleId()));
                return "redirect:/partners/" + partnerId + "/product-rules";
            } catch (ErrorResponseException e) {
                refused(model, e);
                return productRules(partnerId, model);
            }
        }
        ConsoleRefusals.inPlace(model, "The rule is invalid; nothing was saved.", errors);
        model.addAttribute("failedForm", formKey);
        model.addAttribute("submitted", form.toSingleValueMap());
        model.addAttribute("submittedConditions", conditions);
        return productRules(partnerId, model);
    }

    private static ProductDefaultRuleRequest request(ProductDefaultRule r, int priority) {
        return new ProductDefaultRuleRequest(r.name(), priority, r.conditions().stream()
                .map(c -> new ConditionRequest(c.field(), c.operator(), c.value())).toList(),
                r.category(), r.subcategory(), r.type(), r.productClass());
    }

    // ---- notifications (R33, R35) ----

    /** A digest and whether the saved settings send it. */
    public record DigestRow(DigestKind kind, String subject, boolean sent, String explanation) {}

    private static final Map<DigestKind, String> DIGESTS = Map.of(
            DigestKind.SERVICE_MAPPING, "Daily, when something needs mapping or a catch-up of an invoiced period waits for "
                    + "review (needs \"Service mapping digest\" and \"Errors and action needed\").",
            DigestKind.BILLING_RECONCILIATION, "Daily, when reconciliation statuses changed the day before "
                    + "(needs \"Billing reconciliation digest\").",
            DigestKind.TASK_APPROVAL, "Daily, with task sync MANUAL: the tasks waiting for approval with approve links "
                    + "(needs \"Errors and action needed\").",
            DigestKind.TASK_ACTIVITY, "Daily: the tasks created and synchronized the day before (needs \"All tasks\").");

    @GetMapping("/partners/{partnerId}/notifications")
    String notifications(@PathVariable String partnerId, Model model) {
        layout(partnerId, "notifications", model);
        NotificationSettings settings = notifications.get(partnerId);
        model.addAttribute("settings", settings);
        model.addAttribute("digests", Arrays.stream(DigestKind.values())
                .map(k -> new DigestRow(k, k.subject(), settings.sends(k), DIGESTS.get(k))).toList());
        model.addAttribute("mailConfigured", mail.configured());
        model.addAttribute("mailServer", mail.configured() ? mail.host() + ":" + mail.port() : null);
        if (!model.containsAttribute("recipientsText")) model.addAttribute("recipientsText", String.join("\n", settings.recipients()));
        if (!model.containsAttribute("form")) model.addAttribute("form", settings); // a refused form shows what was typed
        return "console/notifications";
    }

    /** All fields of the form as the API's PUT body; recipients one per line (or comma separated). */
    @PostMapping("/partners/{partnerId}/notifications")
    String saveNotifications(@PathVariable String partnerId, @RequestParam MultiValueMap<String, String> form, Model model,
                             RedirectAttributes flash) {
        layout(partnerId, "notifications", model);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        for (String flag : List.of("enabled", "serviceMappingDigest", "billingReconciliationDigest", "notifyErrorsAndActionNeeded",
                "notifyAllTasks")) {
            body.put(flag, "true".equals(form.getFirst(flag)));
        }
        String account = form.getFirst("accountName");
        if (account == null || account.isBlank()) body.putNull("accountName");
        else body.put("accountName", account);
        ArrayNode recipients = body.putArray("recipients");
        String text = form.getFirst("recipients") == null ? "" : form.getFirst("recipients");
        Arrays.stream(text.split("[,;\\r\\n]+")).map(String::strip).filter(s -> !s.isEmpty()).forEach(recipients::add);
        try {
            notifications.put(partnerId, body);
        } catch (ErrorResponseException e) {
            refused(model, e);
            model.addAttribute("recipientsText", text);
            model.addAttribute("form", new NotificationSettings(body.path("enabled").asBoolean(), List.of(),
                    body.path("serviceMappingDigest").asBoolean(), body.path("billingReconciliationDigest").asBoolean(),
                    body.path("accountName").isNull() ? null : body.path("accountName").asText(),
                    body.path("notifyErrorsAndActionNeeded").asBoolean(), body.path("notifyAllTasks").asBoolean()));
            return notifications(partnerId, model);
        }
        flash.addFlashAttribute("result", "Notification settings saved.");
        return "redirect:/partners/" + partnerId + "/notifications";
    }

    /**
     * Mails a test to the saved recipients through the digests' SMTP server; without a mail server
     * or recipients it says so and sends nothing.
     */
    @PostMapping("/partners/{partnerId}/notifications/test-mail")
    String testMail(@PathVariable String partnerId, Model model, RedirectAttributes flash) {
        layout(partnerId, "notifications", model);
        NotificationSettings settings = notifications.get(partnerId);
        if (!mail.configured()) {
            model.addAttribute("error", "No test mail was sent: no mail server is configured (cwbridge.mail.host is not set), "
                    + "so no notification of this bundle is mailed either.");
            return notifications(partnerId, model);
        }
        if (settings.recipients().isEmpty()) {
            ConsoleRefusals.inPlace(model, "No test mail was sent: there is no recipient.",
                    List.of(new FieldProblem("recipients", "save at least one address first")));
            return notifications(partnerId, model);
        }
        StringBuilder text = new StringBuilder("Hello ").append(settings.greeting(partnerId)).append(",\n\n")
                .append("this is a test mail from the ConnectWise sync console for partner ").append(partnerId)
                .append(". The notifications of this partner go to: ").append(String.join(", ", settings.recipients()))
                .append(".\n\n").append(settings.enabled() ? "Notifications are on. Digests sent:\n" : "Notifications are off: "
                        + "no digest is sent until they are switched on.\n");
        if (settings.enabled()) {
            for (DigestKind kind : DigestKind.values()) {
                text.append("- ").append(kind.subject()).append(": ").append(settings.sends(kind) ? "yes" : "no").append('\n');
            }
        }
        try {
            producer.requestBody("direct:notification-test-mail", new NotificationTestMail(settings.recipients(),
                    "Test mail from the ConnectWise sync console (" + partnerId + ")", text.toString()));
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
            model.addAttribute("error", "The mail server did not take the test mail: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            return notifications(partnerId, model);
        }
        flash.addFlashAttribute("result", "Test mail sent to " + String.join(", ", settings.recipients()) + " via "
                + mail.host() + ":" + mail.port() + ".");
        return "redirect:/partners/" + partnerId + "/notifications";
    }

    // ---- connection (SPEC §7) ----

    /** A permission level of seed 001's table and what the last test on this page found. */
    /** One permission level of the connection test: missing (refused), unchecked (ConnectWise failed), else granted. */
    public record PermissionRow(String permission, boolean missing, boolean unchecked) {}

    @GetMapping("/partners/{partnerId}/connection")
    String connection(@PathVariable String partnerId, @RequestParam(required = false) String confirm, Model model) {
        layout(partnerId, "connection", model);
        model.addAttribute("connection", partners.view(partnerId).orElse(null));
        model.addAttribute("confirmRemove", "remove".equals(confirm));
        model.addAttribute("permissions", ConnectionTester.permissions());
        Object test = model.getAttribute("test");
        if (test instanceof ConnectionTestResult result) {
            model.addAttribute("permissionRows", ConnectionTester.permissions().stream()
                    .map(p -> new PermissionRow(p, result.missingPermissions().contains(p), result.uncheckedPermissions().contains(p)))
                    .toList());
        }
        return "console/connection";
    }

    /** The API's PUT: every field but codebase and name is required, the keys too (they are never shown, so always typed). */
    @PostMapping("/partners/{partnerId}/connection")
    String saveConnection(@PathVariable String partnerId, @RequestParam MultiValueMap<String, String> form, Model model,
                          RedirectAttributes flash) {
        layout(partnerId, "connection", model);
        ConnectionRequest request = new ConnectionRequest(text(form, "companyId"), text(form, "publicKey"),
                text(form, "privateKey"), text(form, "apiUrl"), text(form, "clientId"), blankToNull(text(form, "codebase")),
                blankToNull(text(form, "name")));
        List<FieldProblem> errors = violations(request);
        if (errors.isEmpty()) {
            try {
                connection.put(partnerId, request);
                flash.addFlashAttribute("result", "Connection saved.");
                return "redirect:/partners/" + partnerId + "/connection";
            } catch (ErrorResponseException e) {
                refused(model, e);
            }
        } else {
            ConsoleRefusals.inPlace(model, "The connection is invalid; nothing was saved.", errors);
        }
        Map<String, String> kept = new LinkedHashMap<>(form.toSingleValueMap());
        kept.remove("publicKey");
        kept.remove("privateKey"); // keys are never written back into a page
        kept.computeIfPresent("apiUrl", (k, v) -> io.cwbridge.connectwise.ConnectWiseConnection.withoutUserInfo(v)); // nor a URL's user-info
        model.addAttribute("submitted", kept);
        return connection(partnerId, null, model);
    }

    @PostMapping("/partners/{partnerId}/connection/test")
    String testConnection(@PathVariable String partnerId, Model model, RedirectAttributes flash) {
        layout(partnerId, "connection", model);
        try {
            flash.addFlashAttribute("test", connection.test(partnerId));
        } catch (ErrorResponseException e) {
            refused(model, e);
            return connection(partnerId, null, model);
        }
        return "redirect:/partners/" + partnerId + "/connection";
    }

    @PostMapping("/partners/{partnerId}/connection/remove")
    String removeConnection(@PathVariable String partnerId, Model model, RedirectAttributes flash) {
        layout(partnerId, "connection", model);
        try {
            ConnectionRemoved removed = connection.delete(partnerId);
            flash.addFlashAttribute("result", removed.message());
        } catch (ErrorResponseException e) {
            refused(model, e);
            return connection(partnerId, null, model);
        }
        return "redirect:/partners/" + partnerId + "/connection";
    }

    // ---- shared ----


    private void layout(String partnerId, String screen, Model model) {
        ConsolePartners.layout(partners.partners(), partnerId, screen, model);
        if (!model.containsAttribute("fieldErrors")) model.addAttribute("fieldErrors", Map.of());
    }

    /** The API's refusal on the page: its detail, and each field problem next to its field. */
    private static void refused(Model model, ErrorResponseException e) {
        ConsoleRefusals.inPlace(model, e.getBody().getDetail(), ConsoleRefusals.fields(e.getBody()));
    }

    private List<FieldProblem> violations(Object request) {
        return validator.validate(request).stream()
                .sorted(Comparator.comparing((ConstraintViolation<Object> v) -> v.getPropertyPath().toString()))
                .map(v -> new FieldProblem(v.getPropertyPath().toString(), v.getMessage())).toList();
    }

    private static String text(MultiValueMap<String, String> form, String name) {
        String value = form.getFirst(name);
        return value == null ? "" : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
