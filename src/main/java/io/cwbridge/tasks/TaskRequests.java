package io.cwbridge.tasks;

import io.cwbridge.api.FreeText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Bodies of the task actions (R31). */
public final class TaskRequests {

    private TaskRequests() {}

    /** {@code {"taskIds":[…]}} or {@code {"all":true}}, exactly one of them. */
    public record Approve(@Size(max = 500) List<Long> taskIds, Boolean all) {}

    /** Why the task is dismissed (kept as its reason and in its history). */
    public record Dismiss(@NotBlank @FreeText @Size(max = 1000) String reason) {}
}
