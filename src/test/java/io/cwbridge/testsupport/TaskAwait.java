package io.cwbridge.testsupport;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Waiting for a task of the pipeline to reach a status, read from {@code sync_task}: one copy for every test base. */
public final class TaskAwait {

    private TaskAwait() {
    }

    /** Waits up to 30 s until the task has one of {@code expected}; answers it. */
    public static String status(JdbcTemplate jdbc, long taskId, String... expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        String status = null;
        while (System.currentTimeMillis() < deadline) {
            status = jdbc.queryForObject("SELECT status FROM sync_task WHERE task_id = ?", String.class, taskId);
            if (List.of(expected).contains(status)) return status;
            Thread.sleep(100);
        }
        throw new AssertionError("task " + taskId + " is " + status + ", expected " + List.of(expected));
    }
}
