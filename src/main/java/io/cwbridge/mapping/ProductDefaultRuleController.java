package io.cwbridge.mapping;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/partners/{p}/product-default-rules} (R3). */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/product-default-rules")
@Tag(name = "Product default rules")
public class ProductDefaultRuleController {

    private final ProductDefaultRules rules;

    public ProductDefaultRuleController(ProductDefaultRules rules) {
        this.rules = rules;
    }

    @GetMapping
    @Operation(summary = "Custom rules in priority order, then the default rule")
    public List<ProductDefaultRule> list(@PathVariable String partnerId) {
        return rules.all(partnerId);
    }

    @PostMapping
    @Operation(summary = "Add a custom rule", description = "Conditions: field (provider/publisher, name, plan, mfgPartNumber, "
            + "description, id or any product field the events carry, e.g. itemType), operator EQUALS, NOT_EQUALS, "
            + "CONTAINS, STARTS_WITH (case-insensitive), value. All conditions must hold. Lower priority runs first.")
    public ResponseEntity<ProductDefaultRule> create(@PathVariable String partnerId, @Valid @RequestBody ProductDefaultRuleRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(rules.create(partnerId, request));
    }

    @PutMapping("/default")
    @Operation(summary = "Replace the default rule (used when no custom rule matches; conditions ignored)")
    public ProductDefaultRule updateDefault(@PathVariable String partnerId, @Valid @RequestBody ProductDefaultRuleRequest request) {
        return rules.updateDefault(partnerId, request);
    }

    @PutMapping("/{ruleId:\\d+}")
    @Operation(summary = "Replace a custom rule")
    public ProductDefaultRule update(@PathVariable String partnerId, @PathVariable long ruleId,
                                     @Valid @RequestBody ProductDefaultRuleRequest request) {
        return rules.update(partnerId, ruleId, request);
    }

    @DeleteMapping("/{ruleId:\\d+}")
    @Operation(summary = "Delete a custom rule")
    public ResponseEntity<Void> delete(@PathVariable String partnerId, @PathVariable long ruleId) {
        rules.delete(partnerId, ruleId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{ruleId:\\d+}/products")
    @Operation(summary = "The known products whose new catalog item this rule decides (their first match)")
    public List<String> products(@PathVariable String partnerId, @PathVariable long ruleId) {
        return rules.productsOf(partnerId, ruleId);
    }

    @GetMapping("/default/products")
    @Operation(summary = "The known products no custom rule matches (the default rule decides them)")
    public List<String> defaultProducts(@PathVariable String partnerId) {
        return rules.productsOf(partnerId, null);
    }
}
