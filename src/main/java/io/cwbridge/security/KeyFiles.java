package io.cwbridge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A generated 32-byte key kept in the data folder (the master key, the approval link key): read when
 * the file exists, else created once, readable by the owner only. The key itself is never logged.
 */
public final class KeyFiles {

    private static final Logger log = LoggerFactory.getLogger(KeyFiles.class);

    private KeyFiles() {}

    /** The base64 key in {@code file}, generated first when there is none; {@code what} names it in the log. */
    public static String loadOrCreate(Path file, String what) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String encoded = Base64.getEncoder().encodeToString(raw);
        // CREATE_NEW: a second instance racing on the same folder fails instead of replacing the key.
        Files.writeString(file, encoded, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system: the folder's own permissions apply
        }
        log.info("Generated {} in {}", what, file.toAbsolutePath());
        return encoded;
    }
}
