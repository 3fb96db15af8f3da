package io.cwbridge.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/invoices}: one invoice line or an array (R32); all valid or none stored. */
@RestController
class InvoicesController {

    private final InvoiceIntake intake;

    InvoicesController(InvoiceIntake intake) {
        this.intake = intake;
    }

    @PostMapping(path = "/api/v1/invoices", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Object> post(@RequestBody JsonNode body) {
        InvoiceValidator.Result result = InvoiceValidator.read(body);
        if (!result.valid()) {
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.", result.problems()));
        }
        List<InvoiceIntake.Stored> stored = intake.store(result.lines(), "HTTP");
        long fresh = stored.stream().filter(s -> !s.duplicate()).count();
        return ResponseEntity.ok(Map.of("stored", fresh, "duplicates", stored.size() - fresh, "lines", stored));
    }
}
