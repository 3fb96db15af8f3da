package io.cwbridge.sandbox;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * All sandbox records: an in-memory index for fast queries (benchmarks hold 10,000 additions),
 * loaded from the database at start and written through on every change. One lock: reads share
 * it, each write holds it alone from validation to commit, so a call's checks and its write
 * see the same records.
 */
final class RecordStore {

    private final SandboxDatabase database;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Resource, TreeMap<Integer, StoredRecord>> records = new EnumMap<>(Resource.class);
    private final Map<Resource, Integer> sequences = new EnumMap<>(Resource.class);
    private final RecordView committed = new Committed();

    RecordStore(SandboxDatabase database) {
        this.database = database;
        for (Resource r : Resource.values()) {
            records.put(r, new TreeMap<>());
        }
        database.createSchema();
        SandboxDatabase.Contents contents = database.load();
        contents.records().forEach(r -> records.get(r.resource()).put(r.id(), r));
        sequences.putAll(contents.sequences());
    }

    <T> T read(Function<RecordView, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(committed);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs one write: the function validates and stages changes in the batch; they are committed
     * to the database and then to memory together, or not at all if anything throws.
     */
    <T> T write(Function<RecordBatch, T> writer) {
        lock.writeLock().lock();
        try {
            RecordBatch batch = new RecordBatch(committed, sequences);
            T result = writer.apply(batch);
            if (!batch.isEmpty()) {
                database.apply(batch.upserts(), batch.deletes(), batch.sequences());
                batch.deletes().forEach(k -> records.get(k.resource()).remove(k.id()));
                batch.upserts().forEach(r -> records.get(r.resource()).put(r.id(), r));
                sequences.putAll(batch.sequences());
            }
            return result;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Deletes every record and restarts every id sequence at 1. */
    void clear() {
        lock.writeLock().lock();
        try {
            database.clear();
            records.values().forEach(Map::clear);
            sequences.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    Map<Resource, Integer> sequences() {
        return read(view -> Map.copyOf(sequences));
    }

    private final class Committed implements RecordView {
        @Override
        public Optional<StoredRecord> find(Resource resource, int id) {
            return Optional.ofNullable(records.get(resource).get(id));
        }

        @Override
        public List<StoredRecord> all(Resource resource) {
            return new ArrayList<>(records.get(resource).values());
        }

        @Override
        public List<StoredRecord> children(Resource resource, int parentId) {
            return records.get(resource).values().stream()
                    .filter(r -> r.parentId() != null && r.parentId() == parentId).toList();
        }
    }
}
