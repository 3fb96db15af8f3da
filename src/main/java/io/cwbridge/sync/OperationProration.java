package io.cwbridge.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.rules.PlannedOperation;
import org.springframework.stereotype.Component;

/**
 * R17a "plans and tasks always show these amounts": keeps each stored operation's prorated amounts
 * ({@code task_operation.prorated}) next to the operation, whether the bundle writes them to
 * ConnectWise (proration MARKETPLACE on an agreement that does not prorate) or ConnectWise computes them.
 */
@Component
public class OperationProration {

    private final ObjectMapper mapper;

    public OperationProration(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The operation's prorated amounts as the JSON of column {@code task_operation.prorated}, or null: stored with
     * the operation by {@link TaskOperations#persist} (issue 14: no update of its own).
     */
    public String json(PlannedOperation planned) {
        if (planned.prorated() == null) return null;
        try {
            return mapper.writeValueAsString(planned.prorated());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("prorated amounts cannot be written as JSON", e);
        }
    }
}
