package io.cwbridge.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * House rule (issue 18, one owner per table): only {@code tasks/store/SyncTasks} inserts, updates or
 * deletes {@code sync_task}; Java, routes and SQL resources call it instead (the intake too: its
 * event and task are stored in one transaction by {@code ingest/EventIntake.record}, the task through the owner).
 */
class SyncTasksOwnerTest {

    private static final Pattern WRITE = Pattern.compile("(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO)\\s+sync_task\\b",
            Pattern.CASE_INSENSITIVE);
    private static final String OWNER = "src/main/java/io/cwbridge/tasks/store/SyncTasks.java";

    @Test
    void onlyTheOwnerWritesSyncTask() {
        List<String> writers = Stream.of("src/main/java", "routes", "src/main/resources/sql")
                .flatMap(SyncTasksOwnerTest::files)
                .filter(f -> WRITE.matcher(read(f)).find())
                .map(f -> f.toString().replace('\\', '/'))
                .sorted().toList();
        // The scan sees the owner's own writes, so a pattern that matched nothing would fail here.
        assertThat(writers).contains(OWNER);
        assertThat(writers).as("files writing sync_task besides its owner %s", OWNER)
                .containsExactly(OWNER);
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
