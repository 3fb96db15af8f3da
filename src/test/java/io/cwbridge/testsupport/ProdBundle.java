package io.cwbridge.testsupport;

import io.cwbridge.BundleApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The bundle in the {@code prod} profile, as an operator runs it: an external PostgreSQL (embedded
 * here, but outside the application), a fresh data directory, a random master key, no Kafka, on a
 * free port. Tests add their own settings (passwords, keys) as {@code --name=value} arguments.
 */
public final class ProdBundle implements AutoCloseable {

    private final EmbeddedPostgres database;
    private final ConfigurableApplicationContext context;

    private ProdBundle(EmbeddedPostgres database, ConfigurableApplicationContext context) {
        this.database = database;
        this.context = context;
    }

    public static ProdBundle start(String name, String... settings) throws IOException {
        Path dir = Files.createTempDirectory(name);
        EmbeddedPostgres database = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + database.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--cwbridge.data-dir=" + dir.resolve("data"),
                "--cwbridge.security.master-key=" + Base64.getEncoder().encodeToString(masterKey),
                "--cwbridge.kafka.enabled=false"));
        args.addAll(List.of(settings));
        try {
            return new ProdBundle(database, new SpringApplicationBuilder(BundleApplication.class).profiles("prod")
                    .run(args.toArray(String[]::new)));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** {@code http://localhost:<port>} of the running bundle. */
    public String site() {
        return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() throws IOException {
        try {
            context.close();
        } finally {
            database.close();
        }
    }
}
