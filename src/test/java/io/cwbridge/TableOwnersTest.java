package io.cwbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * House rule (issue 18, one owner per table): each of these tables is inserted into, updated and deleted from by its
 * owner only; Java, routes and SQL resources call the owner instead (a statement that writes two tables at once takes
 * the other owner's text, e.g. {@code SyncTasks.pendingOf}). The one exception is {@code sync/OperationLedger}'s
 * combined line + copy + DONE statement (issue 14's SQL budget). Plain file reading of src/main: no Spring.
 */
class TableOwnersTest {

    private static final String MAIN = "src/main/java/io/cwbridge/";

    @ParameterizedTest
    @CsvSource({
            "sync_task, tasks/store/SyncTasks.java",
            "task_operation, sync/TaskOperations.java",
            "subscription_event, ingest/EventIntake.java",
            "parked_event, ingest/ParkedEventRepository.java",
            "subscription_line, sync/OperationLedger.java;sync/SubscriptionLineRepository.java",
            "subscription_line_moved, sync/SubscriptionLineRepository.java",
            "subscription_mapping, sync/SubscriptionMappingRepository.java",
    })
    void onlyTheOwnerWritesTheTable(String table, String owners) {
        // INSERT INTO t, UPDATE t, DELETE FROM t, MERGE INTO t (t a word of its own: not subscription_line_x)
        Pattern write = Pattern.compile("(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO)\\s+" + table + "\\b",
                Pattern.CASE_INSENSITIVE);
        List<String> expected = Arrays.stream(owners.split(";")).map(o -> MAIN + o).sorted().toList();
        List<String> writers = Stream.of("src/main/java", "routes", "src/main/resources/sql")
                .flatMap(TableOwnersTest::files)
                .filter(f -> write.matcher(read(f)).find())
                .map(f -> f.toString().replace('\\', '/'))
                .sorted().toList();
        // The scan sees the owners' own writes, so a pattern that matched nothing would fail here.
        assertThat(writers).containsAll(expected);
        assertThat(writers).as("files writing %s besides its owner %s", table, owners).containsExactlyElementsOf(expected);
    }

    @Test
    void theOwnersDoWriteTheirTables() {
        assertThat(read(Path.of(MAIN + "sync/SubscriptionLineRepository.java")))
                .contains("INSERT INTO subscription_line", "DELETE FROM subscription_line", "UPDATE subscription_line");
        assertThat(read(Path.of(MAIN + "sync/SubscriptionMappingRepository.java")))
                .contains("INSERT INTO subscription_mapping", "DELETE FROM subscription_mapping");
    }

    private static Stream<Path> files(String root) {
        if (!Files.isDirectory(Path.of(root))) return Stream.empty();
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
