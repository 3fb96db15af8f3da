package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One owner per table (issue 18): only {@link SubscriptionLineRepository} writes subscription_line
 * and only {@link SubscriptionMappingRepository} writes subscription_mapping. The one exception is
 * {@link OperationLedger}'s combined line + copy + DONE statement (issue 14's SQL budget). Plain
 * file reading of src/main (Java, SQL resources, routes): no Spring.
 */
class SubscriptionTableOwnersTest {

    private static final Map<String, List<String>> WRITERS = Map.of(
            "subscription_line", List.of("sync/SubscriptionLineRepository.java", "sync/OperationLedger.java"),
            "subscription_mapping", List.of("sync/SubscriptionMappingRepository.java"));

    @Test
    void eachTableIsWrittenByItsOwnerOnly() throws IOException {
        Map<String, String> strays = new TreeMap<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("src/main/resources/sql"), Path.of("routes"))) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    String name = file.toString().replace('\\', '/');
                    WRITERS.forEach((table, owners) -> {
                        // INSERT INTO t, UPDATE t, DELETE FROM t (t as a word of its own: not subscription_line_x)
                        Pattern write = Pattern.compile("(?is)\\b(insert\\s+into|update|delete\\s+from)\\s+" + table + "\\b(?!_)");
                        if (write.matcher(text).find() && owners.stream().noneMatch(name::endsWith)) strays.put(name, table);
                    });
                }
            }
        }
        assertThat(strays).as("files writing a table they do not own (file -> table)").isEmpty();
    }

    @Test
    void theOwnersDoWriteTheirTables() throws IOException {
        String lines = Files.readString(Path.of("src/main/java/io/cwbridge/sync/SubscriptionLineRepository.java"));
        String mappings = Files.readString(Path.of("src/main/java/io/cwbridge/sync/SubscriptionMappingRepository.java"));
        assertThat(lines).contains("INSERT INTO subscription_line", "DELETE FROM subscription_line", "UPDATE subscription_line");
        assertThat(mappings).contains("INSERT INTO subscription_mapping", "DELETE FROM subscription_mapping");
    }
}
