package io.cwbridge.mapping;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/partners/{p}/products/{productId}/mapping} (SPEC 3 R2, 8.2). Product ids may contain ':'. */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/products/{productId}/mapping")
@Tag(name = "Mappings")
public class ProductMappingController {

    private final ProductMappings products;

    public ProductMappingController(ProductMappings products) {
        this.products = products;
    }

    @GetMapping
    @Operation(summary = "Show the product's catalog item mapping", description = "404 when the product is not mapped.")
    public ProductMapping get(@PathVariable String partnerId, @PathVariable String productId) {
        return products.find(partnerId, productId);
    }

    @PutMapping
    @Operation(summary = "Map the product to a ConnectWise catalog item",
            description = "{\"catalogItemId\": n} maps to an existing item: one ConnectWise does not know is a 400 on "
                    + "catalogItemId. {\"create\": true} creates the item from the product in the partner's latest event "
                    + "naming it (identifier: mfg part number, else product id, at most 25 characters; description: plan, "
                    + "else name; category, subcategory, type and productClass from the first matching product default rule (R3, see /product-default-rules); manufacturer, "
                    + "part number, price and cost as the partner's productFields rule allows, price and cost from the "
                    + "event). An item with that identifier that already exists is mapped instead (\"created\": false). "
                    + "404 when no event names the product; 409 when the partner has no ConnectWise connection.")
    public ProductMapping put(@PathVariable String partnerId, @PathVariable String productId,
                              @Valid @RequestBody ProductMappingRequest request,
            @Parameter(description = "Map & sync: run the open tasks of the concerned subscriptions at once")
            @RequestParam(defaultValue = "false") boolean sync) {
        return products.map(partnerId, productId, request, sync);
    }

    @DeleteMapping
    @Operation(summary = "Unmap the product", description = "204; 404 when it was not mapped. Nothing in ConnectWise changes.")
    public ResponseEntity<Void> delete(@PathVariable String partnerId, @PathVariable String productId) {
        products.unmap(partnerId, productId);
        return ResponseEntity.noContent().build();
    }
}
