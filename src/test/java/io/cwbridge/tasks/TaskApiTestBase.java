package io.cwbridge.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.globalsync.TimersTestBase;
import org.springframework.http.ResponseEntity;

/** The task API tests on the timers' Spring context: a task read over HTTP (the partner is disconnected after each test, TimersTestBase). */
abstract class TaskApiTestBase extends TimersTestBase {

    JsonNode json(ResponseEntity<String> response) throws Exception {
        return mapper.readTree(response.getBody());
    }

    /** GET /api/v1/tasks/{id}, which must answer 200. */
    JsonNode task(long taskId) throws Exception {
        ResponseEntity<String> response = api.get().uri("/api/v1/tasks/{id}", taskId).retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        return json(response);
    }
}
