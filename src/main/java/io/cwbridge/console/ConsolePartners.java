package io.cwbridge.console;

import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.partner.PartnerSummary;
import java.util.List;
import org.springframework.ui.Model;

/** What every console controller does with the partner of an address: an unknown one is the 404 page ({@link ConsoleErrors}). */
final class ConsolePartners {

    private ConsolePartners() {}

    static UnknownPartnerPage unknown(String partnerId) {
        return new UnknownPartnerPage("There is no partner " + partnerId + ".");
    }

    /** Before anything is looked up or changed for the partner. */
    static void requireKnown(PartnerConnectionRepository partners, String partnerId) {
        if (!partners.known(partnerId)) throw unknown(partnerId);
    }

    /** The partner among {@code all}. */
    static PartnerSummary find(List<PartnerSummary> all, String partnerId) {
        return all.stream().filter(p -> p.partnerId().equals(partnerId)).findFirst().orElseThrow(() -> unknown(partnerId));
    }

    /** The partner picker ({@code all}) and navigation of a page; answers the page's partner. */
    static PartnerSummary layout(List<PartnerSummary> all, String partnerId, String screen, Model model) {
        PartnerSummary current = find(all, partnerId);
        model.addAttribute("partners", all);
        model.addAttribute("partner", current);
        model.addAttribute("screen", screen);
        return current;
    }
}
