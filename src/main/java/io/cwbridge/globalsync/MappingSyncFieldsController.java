package io.cwbridge.globalsync;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.partner.PartnerIds;
import io.cwbridge.syncrules.CompanyField;
import io.cwbridge.syncrules.PartnerSyncRules;
import io.cwbridge.syncrules.ProductField;
import io.cwbridge.syncrules.SyncRulesRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per mapped customer and product, the fields the global sync (R30) pushes (seed 000's checkboxes):
 * {@code GET/PUT /api/v1/partners/{p}/customers/{customerId}/sync-fields} and
 * {@code …/products/{productId}/sync-fields}. Starts from the partner's rules; a field the rules leave
 * off cannot be switched on.
 */
@RestController
@Tag(name = "Global sync")
public class MappingSyncFieldsController {

    /** The fields pushed for one customer or product. */
    public record SyncFieldsView(String id, List<String> fields, List<String> partnerFields, List<String> switchedOff) {}

    /** {@code {"fields":[…]}}: every field to push for it (JSON names as in the sync rules). */
    public record SyncFieldsRequest(@NotNull @Size(max = 20) List<String> fields) {}

    private final MappingSyncFields syncFields;
    private final SyncRulesRepository syncRules;
    private final NamedParameterJdbcTemplate jdbc;

    public MappingSyncFieldsController(MappingSyncFields syncFields, SyncRulesRepository syncRules, NamedParameterJdbcTemplate jdbc) {
        this.syncFields = syncFields;
        this.syncRules = syncRules;
        this.jdbc = jdbc;
    }

    @GetMapping("/api/v1/partners/{partnerId}/customers/{customerId}/sync-fields")
    @Operation(summary = "The company fields the global sync pushes for this mapped customer",
            description = "{id, fields (pushed), partnerFields (the partner's companyFields), switchedOff}. 404 when not mapped.")
    public SyncFieldsView customer(@PathVariable String partnerId, @PathVariable String customerId) {
        mapped(partnerId, MappingSyncFields.CUSTOMER, customerId);
        return view(partnerId, MappingSyncFields.CUSTOMER, customerId);
    }

    @PutMapping("/api/v1/partners/{partnerId}/customers/{customerId}/sync-fields")
    @Operation(summary = "Choose the company fields the global sync pushes for this mapped customer",
            description = "Body {fields:[…]} out of name, address, city, state, zip, country; each must be one the partner's "
                    + "rules push (400 problem per field otherwise). The others of the rules are switched off for it.")
    public SyncFieldsView setCustomer(@PathVariable String partnerId, @PathVariable String customerId,
                                      @Valid @RequestBody SyncFieldsRequest request, Principal principal) {
        mapped(partnerId, MappingSyncFields.CUSTOMER, customerId);
        return save(partnerId, MappingSyncFields.CUSTOMER, customerId, request, principal);
    }

    @GetMapping("/api/v1/partners/{partnerId}/products/{productId}/sync-fields")
    @Operation(summary = "The catalog item fields the global sync pushes for this mapped product",
            description = "{id, fields (pushed), partnerFields (the partner's productFields), switchedOff}. 404 when not mapped.")
    public SyncFieldsView product(@PathVariable String partnerId, @PathVariable String productId) {
        mapped(partnerId, MappingSyncFields.PRODUCT, productId);
        return view(partnerId, MappingSyncFields.PRODUCT, productId);
    }

    @PutMapping("/api/v1/partners/{partnerId}/products/{productId}/sync-fields")
    @Operation(summary = "Choose the catalog item fields the global sync pushes for this mapped product",
            description = "Body {fields:[…]} out of manufacturer, name, price, cost, mfgPartNumber, description; each must be "
                    + "one the partner's rules push (400 problem per field otherwise).")
    public SyncFieldsView setProduct(@PathVariable String partnerId, @PathVariable String productId,
                                     @Valid @RequestBody SyncFieldsRequest request, Principal principal) {
        mapped(partnerId, MappingSyncFields.PRODUCT, productId);
        return save(partnerId, MappingSyncFields.PRODUCT, productId, request, principal);
    }

    private SyncFieldsView save(String partnerId, String kind, String itemId, SyncFieldsRequest request, Principal principal) {
        List<String> partnerFields = partnerFields(partnerId, kind);
        List<String> all = MappingSyncFields.CUSTOMER.equals(kind)
                ? java.util.Arrays.stream(CompanyField.values()).map(CompanyField::json).toList()
                : java.util.Arrays.stream(ProductField.values()).map(ProductField::json).toList();
        List<FieldProblem> problems = new ArrayList<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (int i = 0; i < request.fields().size(); i++) {
            String field = request.fields().get(i);
            if (field == null || !all.contains(field)) {
                problems.add(new FieldProblem("fields[" + i + "]", "must be one of " + all));
            } else if (!partnerFields.contains(field)) {
                problems.add(new FieldProblem("fields[" + i + "]", "the partner's sync rules do not push " + field
                        + "; a field the rules leave off cannot be switched on here"));
            } else {
                wanted.add(field);
            }
        }
        if (!problems.isEmpty()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST,
                    ApiProblems.problem(HttpStatus.BAD_REQUEST, "The sync fields are invalid; nothing was changed.", problems), null);
        }
        List<String> off = partnerFields.stream().filter(f -> !wanted.contains(f)).toList();
        String by = principal == null || principal.getName() == null || principal.getName().isBlank() ? "api" : principal.getName();
        syncFields.save(partnerId, kind, itemId, off, by);
        return view(partnerId, kind, itemId);
    }

    private SyncFieldsView view(String partnerId, String kind, String itemId) {
        List<String> partnerFields = partnerFields(partnerId, kind);
        List<String> off = syncFields.off(partnerId, kind, itemId).stream().filter(partnerFields::contains).toList();
        // R17 x R30: under price source CONNECTWISE_CATALOG price and cost are never pushed (FieldChanges.pushedProductFields)
        Set<String> neverPushed = MappingSyncFields.PRODUCT.equals(kind)
                && syncRules.find(partnerId).priceSource() == io.cwbridge.rules.SyncRules.PriceSource.CONNECTWISE_CATALOG
                ? Set.of(ProductField.PRICE.json(), ProductField.COST.json()) : Set.of();
        return new SyncFieldsView(itemId, partnerFields.stream().filter(f -> !off.contains(f) && !neverPushed.contains(f)).toList(),
                partnerFields, off);
    }

    private List<String> partnerFields(String partnerId, String kind) {
        PartnerSyncRules rules = syncRules.find(partnerId);
        return MappingSyncFields.CUSTOMER.equals(kind) ? rules.companyFields().stream().map(CompanyField::json).toList()
                : rules.productFields().stream().map(ProductField::json).toList();
    }

    private void mapped(String partnerId, String kind, String itemId) {
        PartnerIds.check(partnerId);
        String sql = MappingSyncFields.CUSTOMER.equals(kind)
                ? "SELECT count(*) FROM customer_mapping WHERE partner_id = :p AND customer_id = :i"
                : "SELECT count(*) FROM product_mapping WHERE partner_id = :p AND product_id = :i";
        Long n = jdbc.queryForObject(sql, Map.of("p", partnerId, "i", itemId), Long.class);
        if (n == null || n == 0) {
            throw ApiProblems.notFound("Partner " + partnerId + " has no mapped " + (MappingSyncFields.CUSTOMER.equals(kind)
                    ? "customer " : "product ") + itemId + ".");
        }
    }
}
