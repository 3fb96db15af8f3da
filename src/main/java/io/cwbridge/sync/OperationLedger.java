package io.cwbridge.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.AdditionOperation;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What task deliveries and the global sync's month roll both keep: each planned addition
 * operation as JSON (so an interrupted run can be finished), and, once delivered, which
 * ConnectWise addition holds which subscription line (table subscription_line), so later events
 * and runs edit the right addition.
 */
@Component
public class OperationLedger {

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public OperationLedger(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** @param taskId the task whose delivery created the line, or null for the global sync */
    public void recordLine(String partnerId, String subscriptionId, String lineKey, AdditionOperation op, long additionId,
            Long taskId) {
        Map<String, Object> params = new HashMap<>(Map.of("p", partnerId, "s", subscriptionId, "k", lineKey,
                "ag", op.agreementId(), "a", additionId));
        params.put("t", taskId);
        switch (op.kind()) {
            case CREATE -> jdbc.update("""
                    INSERT INTO subscription_line (partner_id, subscription_id, line_key, agreement_id, addition_id, created_by_task)
                    VALUES (:p, :s, :k, :ag, :a, :t)
                    ON CONFLICT (partner_id, subscription_id, line_key)
                    DO UPDATE SET addition_id = EXCLUDED.addition_id, agreement_id = EXCLUDED.agreement_id, updated_at = now()""", params);
            case DELETE -> jdbc.update("DELETE FROM subscription_line WHERE partner_id = :p AND addition_id = :a", params);
            case UPDATE -> jdbc.update("UPDATE subscription_line SET updated_at = now() WHERE partner_id = :p AND addition_id = :a", params);
        }
    }

    public String write(AdditionOperation op) {
        try {
            return mapper.writeValueAsString(op);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public AdditionOperation read(String json) {
        try {
            return mapper.readValue(json, AdditionOperation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored operation cannot be read", e);
        }
    }
}
