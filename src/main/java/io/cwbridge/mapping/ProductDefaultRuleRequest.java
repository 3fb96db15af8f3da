package io.cwbridge.mapping;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST/PUT …/product-default-rules} (R3). */
public record ProductDefaultRuleRequest(
        @NotBlank @Size(max = 100) @Schema(example = "Microsoft NCE") String name,
        @Schema(description = "Lower runs first; default 100", example = "10") Integer priority,
        @Valid @Schema(description = "All must hold; e.g. [{\"field\":\"publisher\",\"operator\":\"EQUALS\",\"value\":\"Microsoft CSP\"}]")
        List<@Valid @NotNull ConditionRequest> conditions,
        @NotBlank @Size(max = 100) @Schema(example = "Cloud Services") String category,
        @NotBlank @Size(max = 100) @Schema(example = "Microsoft 365") String subcategory,
        @NotBlank @Size(max = 100) @Schema(example = "Subscription") String type,
        @Pattern(regexp = "Agreement|Bundle|Inventory|NonInventory|Service") @Schema(example = "Service") String productClass) {

    public record ConditionRequest(@NotBlank @Size(max = 50) String field, @NotNull ProductDefaultRule.Operator operator,
                                   @NotNull @Size(max = 200) String value) {}
}
