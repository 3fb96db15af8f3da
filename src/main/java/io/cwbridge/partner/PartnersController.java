package io.cwbridge.partner;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The partners the bundle knows (issue 16's partner picker): ids and names, never a key. */
@RestController
@Tag(name = "Partner connection")
public class PartnersController {

    private final PartnerConnectionRepository partners;

    public PartnersController(PartnerConnectionRepository partners) {
        this.partners = partners;
    }

    @GetMapping("/api/v1/partners")
    @Operation(summary = "List the partners (a partner user: its own), with whether each has a ConnectWise connection and its company id")
    public List<PartnerSummary> list() {
        // a partner user sees only its own partner (issue 16); operators and the API user see all
        io.cwbridge.access.PartnerScope scope = io.cwbridge.access.PartnerScope.current();
        return partners.partners().stream().filter(p -> scope.sees(p.partnerId())).toList();
    }
}
