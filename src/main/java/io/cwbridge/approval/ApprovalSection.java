package io.cwbridge.approval;

import io.cwbridge.mail.DigestTable;
import java.util.List;

/**
 * One task AWAITING_APPROVAL in the approval digest (R35): what it is ({@code heading}), its plan as a
 * before/after table (operation, line, field, ConnectWise now, after approval), the R27 catch-ups the
 * plan keeps (null: none), notes, and its approve link. {@code problem}: why no plan can be shown
 * (a mapping is missing, ConnectWise unreachable); the link is still offered, approving re-plans.
 */
public record ApprovalSection(long taskId, String heading, DigestTable plan, DigestTable catchUps, List<String> notes,
        String problem, String approveUrl) {

    public ApprovalSection {
        notes = List.copyOf(notes);
    }
}
