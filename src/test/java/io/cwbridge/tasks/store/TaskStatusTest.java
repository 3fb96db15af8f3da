package io.cwbridge.tasks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskStatusTest {

    @Test
    void statusParametersBecomeTheEnumsLiteralsAsPartialIndexSyncTaskOpenNamesThem() {
        String sql = TaskStatus.withStatusLiterals("SELECT 1 FROM sync_task t WHERE t.status IN (:syncable) OR t.status = :failed");

        // V28's sync_task_open: WHERE status IN ('PENDING', 'NEEDS_MAPPING'); PostgreSQL proves a partial index's predicate
        // only from the same constants.
        assertThat(sql).isEqualTo("SELECT 1 FROM sync_task t WHERE t.status IN ('PENDING', 'NEEDS_MAPPING') OR t.status = 'FAILED'");
        assertThat(TaskStatus.SYNCABLE).containsExactly("PENDING", "NEEDS_MAPPING");
    }

    @Test
    void otherParametersAreLeftAsTheyAreAndATextWithoutTheStatusParametersIsRefused() {
        String sql = "SELECT 1 FROM sync_task WHERE partner_id = :p AND status = :failedSince AND status IN (:syncable)";

        assertThat(TaskStatus.withStatusLiterals(sql))
                .isEqualTo("SELECT 1 FROM sync_task WHERE partner_id = :p AND status = :failedSince AND status IN ('PENDING', 'NEEDS_MAPPING')");
        assertThatThrownBy(() -> TaskStatus.withStatusLiterals("SELECT 1 FROM sync_task WHERE status IN ( :syncable )"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
