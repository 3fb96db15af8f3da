package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The task-rows statement's status conditions (issue 14): the subscription's open tasks and the failed task by literal
 * statuses, so PostgreSQL's generic plan uses partial index sync_task_open and is kept (tasks/store/TaskStatus
 * .withStatusLiterals); the in-doubt look-up by parameters, so its generic plan starts from the operations not DONE.
 */
class TaskRowsStatementTest {

    @Test
    void openAndFailedTasksByLiteralsTheInDoubtLookUpByParameters() {
        for (String sql : new String[] {SubscriptionSync.FIRST_TASK_ROWS, SubscriptionSync.FIRST_APPROVED_TASK_ROWS}) {
            assertThat(sql).contains("t.status IN ('PENDING', 'NEEDS_MAPPING')").contains("f.status = 'FAILED'")
                    .doesNotContain(":failed");
            assertThat(sql.split("IN \\(:syncable\\)", -1)).as("one IN (:syncable) left: the in-doubt look-up's").hasSize(2);
            assertThat(sql).contains("ot.status IN (:syncable)");
        }
    }
}
