package io.cwbridge.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** Read access to the records, either the committed ones or those of a write in progress. */
interface RecordView {

    Optional<StoredRecord> find(Resource resource, int id);

    /** All records of a type in id order. */
    List<StoredRecord> all(Resource resource);

    /** A record that must sit under the given parent (additions of one agreement). */
    default Optional<StoredRecord> find(Resource resource, Integer parentId, int id) {
        return find(resource, id).filter(r -> Objects.equals(r.parentId(), parentId));
    }

    default List<StoredRecord> children(Resource resource, int parentId) {
        return all(resource).stream().filter(r -> r.parentId() != null && r.parentId() == parentId).toList();
    }

    /** By ConnectWise identifier, which is unique per type regardless of case. */
    default Optional<StoredRecord> findByIdentifier(Resource resource, String identifier) {
        String wanted = identifier.toLowerCase(Locale.ROOT);
        return all(resource).stream()
                .filter(r -> r.doc().path("identifier").asText("").toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }
}
