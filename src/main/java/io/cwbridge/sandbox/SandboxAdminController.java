package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-operator controls of the sandbox, outside the ConnectWise API and without its
 * authentication: reset, seed, invoice, faults, call counts and a dump of everything.
 */
@ConditionalOnSandbox
@RestController
@RequestMapping("/cw-sandbox/admin")
class SandboxAdminController {

    private static final Pattern RECORD_ID = Pattern.compile("\\d{1,9}");

    private final RecordStore store;
    private final SandboxSeeder seeder;
    private final InvoiceLedger ledger;
    private final FaultInjector faults;
    private final CallCounter calls;
    private final SandboxSecurityRole role;
    private final Clock clock = Clock.systemUTC();

    SandboxAdminController(RecordStore store, SandboxSeeder seeder, InvoiceLedger ledger, FaultInjector faults,
                           CallCounter calls, SandboxSecurityRole role) {
        this.role = role;
        this.store = store;
        this.seeder = seeder;
        this.ledger = ledger;
        this.faults = faults;
        this.calls = calls;
    }

    /** Deletes all records, faults and call counts, gives the API member every level again; ids start again at 1. */
    @PostMapping("/reset")
    ResponseEntity<String> reset() {
        store.clear();
        faults.clear();
        role.reset();
        calls.reset();
        return SandboxResponses.noContent();
    }

    @PostMapping("/seed")
    ResponseEntity<String> seed(@RequestBody(required = false) String body) {
        return SandboxResponses.json(201, seeder.seed(SandboxJson.parse(body)));
    }

    /**
     * Body {@code {"through":"2024-03-31"}}, optional; the default is today (UTC). Answers the
     * finance/invoices record it wrote and the agreement's new nextInvoiceDate; 400 when the
     * agreement is already invoiced through that day, or when the id is no record id (a whole number
     * of 1 to 9 digits, as the API's paths take it).
     */
    @PostMapping("/agreements/{id}/invoice")
    ResponseEntity<String> invoice(@PathVariable("id") String id, @RequestBody(required = false) String body) {
        // Read here rather than bound to an int: Spring's type mismatch would reach the catch-all as a 500 with a stack trace.
        if (!RECORD_ID.matcher(id).matches()) throw SandboxErrors.badRequest("id must be a whole number such as 12.");
        int agreementId = Integer.parseInt(id);
        JsonNode json = SandboxJson.parse(body);
        LocalDate through = json == null || !json.hasNonNull("through") ? LocalDate.now(clock)
                : SandboxDates.day(json.get("through").asText())
                        .orElseThrow(() -> SandboxErrors.badRequest("through must be a date such as 2024-03-31."));
        return SandboxResponses.json(200, ledger.invoice(agreementId, through));
    }

    /**
     * The API member's security role: {@code {"denied":[{"function":"Agreements","level":"Delete"}]}}
     * takes those levels away (ConnectWise then answers 403 on the calls that need them); an empty
     * list restores them all.
     */
    @PutMapping("/security-role")
    ResponseEntity<String> setSecurityRole(@RequestBody(required = false) String body) {
        role.deny(SandboxJson.parse(body));
        return SandboxResponses.json(200, role.toJson());
    }

    @GetMapping("/security-role")
    ResponseEntity<String> securityRole() {
        return SandboxResponses.json(200, role.toJson());
    }

    @PostMapping("/faults")
    ResponseEntity<String> addFault(@RequestBody(required = false) String body) {
        return SandboxResponses.json(201, faults.add(SandboxJson.parse(body)).toJson());
    }

    @GetMapping("/faults")
    ResponseEntity<String> listFaults() {
        return SandboxResponses.json(200, faultList());
    }

    @DeleteMapping("/faults")
    ResponseEntity<String> clearFaults() {
        faults.clear();
        return SandboxResponses.noContent();
    }

    @GetMapping("/calls")
    ResponseEntity<String> calls() {
        return SandboxResponses.json(200, calls.snapshot());
    }

    @DeleteMapping("/calls")
    ResponseEntity<String> resetCalls() {
        calls.reset();
        return SandboxResponses.noContent();
    }

    /** Everything the sandbox holds, for debugging. */
    @GetMapping("/state")
    ResponseEntity<String> state() {
        ObjectNode state = store.read(view -> {
            ObjectNode json = SandboxJson.object();
            json.set("companies", docs(view, Resource.COMPANY));
            json.set("catalog", docs(view, Resource.CATALOG));
            json.set("agreements", docs(view, Resource.AGREEMENT));
            json.set("additions", docs(view, Resource.ADDITION));
            json.set("adjustments", docs(view, Resource.ADJUSTMENT));
            json.set("invoices", docs(view, Resource.INVOICE));
            ObjectNode next = SandboxJson.object();
            view.all(Resource.AGREEMENT).forEach(a -> next.set(String.valueOf(a.id()), a.doc().get("nextInvoiceDate")));
            json.set("nextInvoiceDates", next);
            json.set("invoicedThrough", InvoiceLedger.describe(view.all(Resource.AGREEMENT)));
            return json;
        });
        ObjectNode sequences = state.putObject("sequences");
        store.sequences().forEach((resource, lastId) -> sequences.put(resource.key(), lastId));
        state.set("faults", faultList());
        state.set("calls", calls.snapshot());
        return SandboxResponses.json(200, state);
    }

    private ArrayNode faultList() {
        ArrayNode list = SandboxJson.NODES.arrayNode();
        faults.pending().forEach(f -> list.add(f.toJson()));
        return list;
    }

    private static ArrayNode docs(RecordView view, Resource resource) {
        ArrayNode list = SandboxJson.NODES.arrayNode();
        view.all(resource).forEach(r -> list.add(r.doc()));
        return list;
    }
}
