package io.cwbridge.globalsync;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.partner.PartnerIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/partners/{p}/global-sync} (SPEC §8.2) runs R30 now through route global-sync; the runs can be listed. */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/global-sync")
@Tag(name = "Global sync", description = "R30: push changed company, catalog and addition fields; month roll (R18)")
public class GlobalSyncController {

    private final GlobalSync globalSync;
    private final GlobalSyncRuns runs;
    private final ProducerTemplate producer;

    public GlobalSyncController(GlobalSync globalSync, GlobalSyncRuns runs, ProducerTemplate producer) {
        this.globalSync = globalSync;
        this.runs = runs;
        this.producer = producer;
    }

    @PostMapping
    @Operation(summary = "Run the global sync now; answers the run's report")
    public GlobalSyncReport run(@PathVariable String partnerId) {
        known(partnerId);
        return producer.requestBodyAndHeaders("direct:global-sync", null,
                Map.of("partnerId", partnerId, "globalSyncTrigger", "ON_DEMAND"), GlobalSyncReport.class);
    }

    @GetMapping("/runs")
    @Operation(summary = "The partner's latest global sync runs, newest first")
    public List<GlobalSyncReport> runs(@PathVariable String partnerId, @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 200) throw ApiProblems.badRequest("limit", "must be between 1 and 200");
        known(partnerId);
        return runs.latest(partnerId, limit);
    }

    private void known(String partnerId) {
        PartnerIds.check(partnerId);
        if (!globalSync.knows(partnerId)) {
            throw ApiProblems.notFound("Partner " + partnerId + " has no ConnectWise connection.");
        }
    }
}
