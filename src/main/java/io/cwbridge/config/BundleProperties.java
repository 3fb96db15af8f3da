package io.cwbridge.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the bundle itself ({@code cwbridge.*}).
 *
 * @param dataDir      folder for everything the embedded defaults keep (database files, master key)
 * @param embeddedDb   the embedded PostgreSQL started when no external database is configured
 */
@ConfigurationProperties(prefix = "cwbridge")
public record BundleProperties(@DefaultValue("./data") Path dataDir, @DefaultValue EmbeddedDb embeddedDb) {

    /**
     * @param enabled start an embedded PostgreSQL (off in the prod profile)
     * @param port    fixed port, or 0 for any free one
     */
    public record EmbeddedDb(@DefaultValue("true") boolean enabled, @DefaultValue("0") int port) {}
}
