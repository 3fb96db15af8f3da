package io.cwbridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.partner.PartnerConnectionRepository;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The Java steps of route {@code subscription-events-ingest}: reads and checks one event and puts
 * what the SQL steps need into headers; the route decides, the SQL stores.
 */
@Component("eventIntake")
public class EventIntake {

    public static final String PROBLEMS = "eventProblems";

    private final ObjectMapper mapper;
    private final EventValidator validator;
    private final PartnerConnectionRepository partners;

    public EventIntake(ObjectMapper mapper, PartnerConnectionRepository partners) {
        this.mapper = mapper;
        this.validator = new EventValidator();
        this.partners = partners;
    }

    /** Validates the raw event in the body; sets {@value #PROBLEMS} (JSON, empty list when valid) and the event's keys. */
    public void inspect(Message message) throws JsonProcessingException {
        String raw = message.getBody(String.class);
        // Text that is not a JSON object has neither: park-event.sql still needs both named parameters.
        message.setHeader("partnerId", null);
        message.setHeader("eventId", null);
        JsonNode event;
        List<FieldProblem> problems;
        try {
            event = raw == null ? null : mapper.readTree(raw);
            problems = event == null || !event.isObject()
                    ? List.of(new FieldProblem("$", "must be one JSON object (an array is a batch of them)"))
                    : new ArrayList<>(validator.validate(event));
        } catch (JsonProcessingException e) {
            event = null;
            problems = EventValidator.notJson();
        }
        if (event != null && event.isObject()) {
            String partnerId = event.path("partnerId").asText(null);
            message.setHeader("partnerId", ParkedEvent.storableKey(partnerId));
            message.setHeader("eventId", ParkedEvent.storableKey(event.path("eventId").asText(null)));
            if (problems.isEmpty() && !partners.exists(partnerId)) {
                problems.add(new FieldProblem("partnerId", "unknown partner: connect it first (PUT /api/v1/partners/{p}/connection)"));
            }
            if (problems.isEmpty()) {
                message.setHeader("subscriptionId", event.path("subscription").path("id").asText());
                message.setHeader("eventType", event.path("type").asText());
                message.setHeader("eventAction", event.path("action").asText());
                message.setHeader("occurredAt", event.path("occurredAt").asText());
                message.setHeader("payload", mapper.writeValueAsString(event));
            }
        }
        message.setHeader("eventValid", problems.isEmpty());
        message.setHeader(PROBLEMS, mapper.writeValueAsString(problems));
    }

    /** The reply of the ingest route, from the headers the SQL steps left. */
    public IntakeResult result(Message message) throws JsonProcessingException {
        String eventId = message.getHeader("eventId", String.class);
        Long parkedId = message.getHeader("parkedId", Long.class);
        if (parkedId != null) {
            List<FieldProblem> problems = List.of(mapper.readValue(message.getHeader(PROBLEMS, String.class), FieldProblem[].class));
            return new IntakeResult(IntakeResult.Outcome.PARKED, eventId, null, parkedId, problems);
        }
        boolean duplicate = Boolean.TRUE.equals(message.getHeader("duplicate", Boolean.class));
        return new IntakeResult(duplicate ? IntakeResult.Outcome.DUPLICATE : IntakeResult.Outcome.ACCEPTED, eventId,
                message.getHeader("taskId", Long.class), null, null);
    }

    /** A batch (JSON array) becomes its elements' texts; anything else stays one event. */
    public List<String> split(String raw) {
        try {
            JsonNode node = mapper.readTree(raw);
            if (node != null && node.isArray()) {
                List<String> events = new ArrayList<>();
                for (JsonNode element : node) events.add(mapper.writeValueAsString(element));
                return events;
            }
        } catch (JsonProcessingException e) {
            // Not JSON: it is parked as one event with that reason.
        }
        return List.of(raw == null ? "" : raw);
    }

}
