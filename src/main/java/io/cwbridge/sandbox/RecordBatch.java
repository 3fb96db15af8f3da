package io.cwbridge.sandbox;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The changes of one API call (or one seed), seen on top of the committed records until the
 * store commits them together or drops them on an error.
 */
final class RecordBatch implements RecordView {

    private final RecordView base;
    private final Map<Resource, Integer> baseSequences;
    private final Map<StoredRecord.Key, StoredRecord> upserts = new LinkedHashMap<>();
    private final Set<StoredRecord.Key> deletes = new LinkedHashSet<>();
    private final Map<Resource, Integer> sequences = new EnumMap<>(Resource.class);

    RecordBatch(RecordView base, Map<Resource, Integer> baseSequences) {
        this.base = base;
        this.baseSequences = baseSequences;
    }

    int nextId(Resource resource) {
        int next = sequences.getOrDefault(resource, baseSequences.getOrDefault(resource, 0)) + 1;
        sequences.put(resource, next);
        return next;
    }

    void put(StoredRecord record) {
        deletes.remove(record.key());
        upserts.put(record.key(), record);
    }

    void delete(StoredRecord record) {
        upserts.remove(record.key());
        deletes.add(record.key());
    }

    @Override
    public Optional<StoredRecord> find(Resource resource, int id) {
        StoredRecord.Key key = new StoredRecord.Key(resource, id);
        if (deletes.contains(key)) {
            return Optional.empty();
        }
        StoredRecord pending = upserts.get(key);
        return pending != null ? Optional.of(pending) : base.find(resource, id);
    }

    @Override
    public List<StoredRecord> all(Resource resource) {
        TreeMap<Integer, StoredRecord> merged = new TreeMap<>();
        base.all(resource).forEach(r -> merged.put(r.id(), r));
        upserts.values().stream().filter(r -> r.resource() == resource).forEach(r -> merged.put(r.id(), r));
        deletes.stream().filter(k -> k.resource() == resource).forEach(k -> merged.remove(k.id()));
        return new ArrayList<>(merged.values());
    }

    List<StoredRecord> upserts() {
        return List.copyOf(upserts.values());
    }

    Set<StoredRecord.Key> deletes() {
        return Set.copyOf(deletes);
    }

    Map<Resource, Integer> sequences() {
        return Map.copyOf(sequences);
    }

    boolean isEmpty() {
        return upserts.isEmpty() && deletes.isEmpty() && sequences.isEmpty();
    }
}
