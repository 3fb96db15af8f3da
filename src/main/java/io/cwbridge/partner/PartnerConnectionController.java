package io.cwbridge.partner;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A partner's ConnectWise connection (SPEC 7, 8.2). Keys go in; they never come back out. */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/connection")
@Tag(name = "Partner connection")
public class PartnerConnectionController {

    private final PartnerConnectionRepository connections;
    private final ConnectionTester tester;
    private final ConnectWiseSettings settings;

    public PartnerConnectionController(PartnerConnectionRepository connections, ConnectionTester tester, ConnectWiseSettings settings) {
        this.connections = connections;
        this.tester = tester;
        this.settings = settings;
    }

    @PutMapping
    @Operation(summary = "Save the partner's ConnectWise connection; keys are stored encrypted and never returned")
    public ConnectionView put(@PathVariable String partnerId, @Valid @RequestBody ConnectionRequest request) {
        PartnerIds.check(partnerId);
        String codebase = request.codebase() == null || request.codebase().isBlank() ? settings.codebase() : request.codebase();
        connections.save(partnerId, new ConnectWiseConnection(request.apiUrl().trim(), codebase, request.companyId().trim(),
                request.publicKey(), request.privateKey(), request.clientId().trim()),
                request.name() == null || request.name().isBlank() ? null : request.name().trim());
        return connections.view(partnerId).orElseThrow();
    }

    @GetMapping
    @Operation(summary = "Show the partner's connection, without its keys")
    public ConnectionView get(@PathVariable String partnerId) {
        return connections.view(partnerId).orElseThrow(() -> ApiProblems.notFound("No connection for partner " + partnerId));
    }

    /**
     * Removes the stored connection, keys and all (SPEC 7 v2). The partner, its mappings, tasks and
     * logs stay, but nothing syncs: new events for it are refused and parked as for any partner
     * without a connection, timers skip it, and a new PUT connects it again.
     */
    @DeleteMapping
    @Operation(summary = "Remove the partner's connection; its keys are deleted, its mappings and tasks kept, nothing syncs until a new PUT")
    public ConnectionRemoved delete(@PathVariable String partnerId) {
        if (!connections.remove(partnerId)) {
            throw ApiProblems.notFound("No connection for partner " + partnerId);
        }
        return new ConnectionRemoved(partnerId, ConnectionRemoved.MESSAGE);
    }

    @PostMapping("/test")
    @Operation(summary = "Test the saved connection against ConnectWise")
    public ConnectionTestResult test(@PathVariable String partnerId) {
        ConnectWiseConnection connection = connections.find(partnerId)
                .orElseThrow(() -> ApiProblems.notFound("No connection for partner " + partnerId));
        ConnectionTestResult result = tester.test(connection);
        connections.recordTest(partnerId, result.ok());
        return result;
    }
}
