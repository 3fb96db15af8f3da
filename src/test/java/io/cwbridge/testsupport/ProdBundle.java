package io.cwbridge.testsupport;

import io.cwbridge.BundleApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The bundle in the {@code prod} profile, as an operator runs it: an external PostgreSQL (a fresh
 * database on the test JVM's one server, {@link SharedPostgres}, outside the application), a fresh data directory, a random master key, no Kafka, on a
 * free port. A JUnit extension ({@code @RegisterExtension static}): started before the class's
 * tests, stopped after them. Tests add their own settings (passwords, keys) as {@code --name=value}.
 */
public final class ProdBundle implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private final List<String> settings;
    private ConfigurableApplicationContext context;

    public ProdBundle(String name, String... settings) {
        this.name = name;
        this.settings = List.of(settings);
    }

    /** Base64 of 32 random bytes: a key setting's value. */
    public static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Override
    public void beforeAll(ExtensionContext extension) throws IOException {
        Path dir = Files.createTempDirectory(name);
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + SharedPostgres.newDatabase(name),
                "--spring.datasource.username=" + SharedPostgres.USER,
                "--cwbridge.data-dir=" + dir.resolve("data"),
                "--cwbridge.security.master-key=" + randomKey(),
                "--cwbridge.kafka.enabled=false"));
        args.addAll(settings);
        context = new SpringApplicationBuilder(BundleApplication.class).profiles("prod").run(args.toArray(String[]::new));
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** {@code http://localhost:<port>} of the running bundle. */
    public String site() {
        return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void afterAll(ExtensionContext extension) throws IOException {
        if (context != null) context.close();
    }
}
