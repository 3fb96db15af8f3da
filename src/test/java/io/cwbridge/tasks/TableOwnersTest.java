package io.cwbridge.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * House rule (issue 18, one owner per table), as {@link SyncTasksOwnerTest} for sync_task: each of these tables is
 * inserted into, updated and deleted from by one class only; Java, routes and SQL resources call it instead (a statement
 * that writes two tables at once takes the other owner's text, e.g. {@code SyncTasks.pendingOf}).
 */
class TableOwnersTest {

    @ParameterizedTest
    @CsvSource({
            "task_operation, src/main/java/io/cwbridge/sync/TaskOperations.java",
            "subscription_event, src/main/java/io/cwbridge/ingest/EventIntake.java",
            "parked_event, src/main/java/io/cwbridge/ingest/ParkedEventRepository.java",
    })
    void onlyTheOwnerWritesTheTable(String table, String owner) {
        Pattern write = Pattern.compile("(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO)\\s+" + table + "\\b",
                Pattern.CASE_INSENSITIVE);
        List<String> writers = Stream.of("src/main/java", "routes", "src/main/resources/sql")
                .flatMap(TableOwnersTest::files)
                .filter(f -> write.matcher(read(f)).find())
                .map(f -> f.toString().replace('\\', '/'))
                .sorted().toList();
        // The scan sees the owner's own writes, so a pattern that matched nothing would fail here.
        assertThat(writers).contains(owner);
        assertThat(writers).as("files writing %s besides its owner %s", table, owner).containsExactly(owner);
    }

    private static Stream<Path> files(String root) {
        try (Stream<Path> walk = Files.walk(Path.of(root))) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> f.toString().matches(".*\\.(java|ya?ml|sql)$")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
