package io.cwbridge.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bundle per data folder. The bundle that runs on a data folder holds an exclusive
 * {@link FileChannel#tryLock() file lock} on {@code <data-dir>/bundle.lock} for as long as it runs
 * and describes itself in {@code <data-dir>/bundle.owner} (PID, HTTP port, start time). The
 * operating system drops the lock when the process ends, however it ends (kill -9 included), so
 * a lock that can be taken means that no live bundle uses the folder and whatever it left behind
 * (its embedded PostgreSQL) may be cleaned up. A lock that cannot be taken means a running
 * bundle: the start is refused with {@link DataDirectoryInUseException} before anything in the
 * folder is changed.
 */
public final class DataDirectoryLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataDirectoryLock.class);
    static final String LOCK_FILE = "bundle.lock";
    static final String OWNER_FILE = "bundle.owner";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;
    private final Instant started = Instant.now();
    private volatile int port;

    private DataDirectoryLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the data folder, or refuses when a running bundle holds it.
     *
     * @throws DataDirectoryInUseException another live process (or another bundle in this JVM) holds the folder
     */
    public static DataDirectoryLock acquire(Path dataDir) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        // CREATE without TRUNCATE_EXISTING: opening the lock file changes nothing in it.
        FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // another bundle in this very JVM holds it
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new DataDirectoryInUseException(dir, readOwner(dir));
        }
        DataDirectoryLock taken = new DataDirectoryLock(dir, channel, lock);
        taken.writeOwner();
        return taken;
    }

    /** The HTTP port, once the web server has it; rewrites the owner file. */
    public void serving(int httpPort) {
        this.port = httpPort;
        writeOwner();
    }

    public Path directory() {
        return dir;
    }

    private void writeOwner() {
        Properties owner = new Properties();
        owner.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        owner.setProperty("port", port > 0 ? Integer.toString(port) : "");
        owner.setProperty("started", started.toString());
        try {
            Path tmp = dir.resolve(OWNER_FILE + ".tmp");
            try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                owner.store(out, "The bundle that runs on this data folder (it holds bundle.lock while it runs)");
            }
            Files.move(tmp, dir.resolve(OWNER_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(OWNER_FILE), e);
        }
    }

    static Owner readOwner(Path dir) {
        Properties owner = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(OWNER_FILE))) {
            owner.load(in);
        } catch (IOException e) {
            return null;
        }
        return new Owner(owner.getProperty("pid", ""), owner.getProperty("port", ""), owner.getProperty("started", ""));
    }

    /** Releases the folder (the owner file stays: it names the last owner, and a new one overwrites it). */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) lock.release();
        } finally {
            channel.close();
        }
        log.debug("Released data folder {}", dir);
    }

    /** What {@code bundle.owner} says about the bundle that holds the folder. */
    public record Owner(String pid, String port, String started) {
        @Override
        public String toString() {
            return "PID " + (pid.isEmpty() ? "unknown" : pid) + ", HTTP port " + (port.isEmpty() ? "not yet open" : port)
                    + (started.isEmpty() ? "" : ", started " + started);
        }
    }

    /** A start refused because a running bundle uses the data folder. */
    public static final class DataDirectoryInUseException extends IllegalStateException {
        private final transient Path dir;
        private final transient Owner owner;

        DataDirectoryInUseException(Path dir, Owner owner) {
            super("Data folder " + dir + " is in use by a running bundle ("
                    + (owner == null ? "its " + OWNER_FILE + " cannot be read" : owner.toString())
                    + "). Nothing was changed; this start is refused.");
            this.dir = dir;
            this.owner = owner;
        }

        public Path directory() {
            return dir;
        }

        public Owner owner() {
            return owner;
        }
    }
}
