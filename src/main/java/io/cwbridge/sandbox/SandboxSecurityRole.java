package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The security role of the sandbox's API member. In ConnectWise a role grants, per module function
 * (System &gt; Security Roles), an Add, Edit, Delete and Inquire level; each is a SecurityRoleSetting
 * with {@code addLevel}, {@code editLevel}, {@code deleteLevel}, {@code inquireLevel} (ConnectWise's
 * generated models, e.g. Jetbuilt/connect_wise docs/SecurityRoleSetting.md; vendor guides such as
 * seed 001 and N-able's "Create a Custom Security Role" list the same four levels). The sandbox's
 * member starts with every level the bundle needs (seed 001's table) and tests take some away
 * through the admin API.
 *
 * <p>Assumptions, not from a public source: which function guards which endpoint is the one seed
 * 001's table gives for it (agreement types, a setup table, under Table Setup); ConnectWise checks
 * the role before it looks up the record or validates the body, so a refused level answers 403
 * whatever the request; the 403 body has ConnectWise's error shape ({@code code}, {@code message})
 * with the wording of {@link SandboxErrors#faultBody}.
 */
final class SandboxSecurityRole {

    /** The module functions of seed 001's permission table, named as in ConnectWise's role screen. */
    enum Function {
        COMPANY_MAINTENANCE("Companies", "Company Maintenance"),
        CONTACTS("Companies", "Contacts"),
        AGREEMENTS("Finance", "Agreements"),
        INVOICING("Finance", "Invoicing"),
        PRODUCT_CATALOG("Procurement", "Product Catalog"),
        TABLE_SETUP("System", "Table Setup");

        final String module;
        final String title;

        Function(String module, String title) {
            this.module = module;
            this.title = title;
        }

        static Optional<Function> named(String text) {
            return Arrays.stream(values()).filter(f -> f.title.equalsIgnoreCase(text.trim()) || f.name().equalsIgnoreCase(text.trim()))
                    .findFirst();
        }
    }

    enum Level { ADD, EDIT, DELETE, INQUIRE }

    record Permission(Function function, Level level) {
        ObjectNode toJson() {
            ObjectNode json = SandboxJson.object();
            json.put("module", function.module);
            json.put("function", function.title);
            json.put("level", level.name().charAt(0) + level.name().substring(1).toLowerCase(Locale.ROOT));
            return json;
        }
    }

    private final Set<Permission> denied = new CopyOnWriteArraySet<>();

    /** The permission a call needs, or empty for calls no role guards ({@code system/info}). */
    static Optional<Permission> required(ApiRoute route) {
        if (route.resource() == null) {
            return Optional.empty();
        }
        Function function = switch (route.resource()) {
            case COMPANY -> Function.COMPANY_MAINTENANCE;
            case CONTACT -> Function.CONTACTS;
            case AGREEMENT, ADDITION, ADJUSTMENT, AGREEMENT_RECAP -> Function.AGREEMENTS;
            case INVOICE -> Function.INVOICING;
            case CATALOG -> Function.PRODUCT_CATALOG;
            case AGREEMENT_TYPE -> Function.TABLE_SETUP;
        };
        Level level = switch (route.action()) {
            case CREATE -> Level.ADD;
            case REPLACE, PATCH -> Level.EDIT;
            case DELETE -> Level.DELETE;
            default -> Level.INQUIRE;
        };
        return Optional.of(new Permission(function, level));
    }

    /** The refusal for a call the role does not allow. */
    Optional<SandboxException> refusal(ApiRoute route) {
        return required(route).filter(denied::contains)
                .map(p -> new SandboxException(403, SandboxErrors.faultBody(403, 0)));
    }

    /**
     * Replaces the levels taken away: {@code {"denied":[{"function":"Agreements","level":"Delete"}, …]}};
     * an empty list gives the member every level again.
     */
    synchronized void deny(JsonNode body) {
        if (body == null || !body.path("denied").isArray()) {
            throw SandboxErrors.badRequest("Send {\"denied\":[{\"function\":\"Agreements\",\"level\":\"Delete\"}]}.");
        }
        Set<Permission> next = new LinkedHashSet<>();
        for (JsonNode entry : body.path("denied")) {
            Function function = Function.named(entry.path("function").asText(""))
                    .orElseThrow(() -> SandboxErrors.badRequest("function must be one of " + Arrays.stream(Function.values())
                            .map(f -> f.title).toList() + "."));
            Level level;
            try {
                level = Level.valueOf(entry.path("level").asText("").trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw SandboxErrors.badRequest("level must be one of Add, Edit, Delete, Inquire.");
            }
            next.add(new Permission(function, level));
        }
        denied.clear();
        denied.addAll(next);
    }

    void reset() {
        denied.clear();
    }

    ObjectNode toJson() {
        ObjectNode json = SandboxJson.object();
        ArrayNode list = json.putArray("denied");
        denied.forEach(p -> list.add(p.toJson()));
        return json;
    }
}
