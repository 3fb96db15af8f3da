package io.cwbridge.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.rules.AdditionPlan;
import io.cwbridge.rules.PlannedOperation;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * R17a "plans and tasks always show these amounts": keeps each stored operation's prorated amounts
 * ({@code task_operation.prorated}) next to the operation, whether the bundle writes them to
 * ConnectWise (proration MARKETPLACE on an agreement that does not prorate) or ConnectWise computes them.
 */
@Component
public class OperationProration {

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public OperationProration(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** @param saved the operations as stored for {@code plan}, in plan order */
    public void record(List<TaskOperation> saved, AdditionPlan plan) {
        List<PlannedOperation> planned = plan.operations();
        for (int i = 0; i < saved.size() && i < planned.size(); i++) {
            if (planned.get(i).prorated() == null) continue;
            try {
                jdbc.update("UPDATE task_operation SET prorated = CAST(:p AS jsonb) WHERE task_id = :t AND seq = :seq",
                        Map.of("p", mapper.writeValueAsString(planned.get(i).prorated()), "t", saved.get(i).taskId(),
                                "seq", saved.get(i).seq()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("prorated amounts cannot be written as JSON", e);
            }
        }
    }
}
