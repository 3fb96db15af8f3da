package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.ErrorResponseException;

/**
 * What customer → company (R1) and product → catalog item (R2) mappings share: link the
 * marketplace item to an existing ConnectWise record or create that record from the latest event,
 * keep a ConnectWise failure on the item (FAILED with the reason), publish the change, and with
 * map &amp; sync run the open tasks of the item's subscriptions at once. Subclasses say which record.
 *
 * @param <M> the saved mapping
 * @param <Q> the PUT body: an existing record's id, or create=true
 */
abstract class TargetMappings<M extends TargetMappings.Mapped<M>, Q extends TargetMappings.TargetRequest> {

    /** A saved mapping that can carry the tasks map &amp; sync ran. */
    interface Mapped<M> {
        M withTasks(List<MapAndSync.SyncedTask> tasks);

        /** The ConnectWise record's id (company / catalog item). */
        long targetId();
    }

    /** A PUT body: {@code targetId} of an existing ConnectWise record, or {@code create=true}. */
    interface TargetRequest {
        Long targetId();

        Boolean create();

        /** With create=true on a mapped item: create anyway (else 409). */
        Boolean replace();
    }

    /**
     * How one kind of item differs: its MappingChanged kind, its words in messages and fields, and
     * what the record is called.
     */
    record Kind(String changed, String noun, String idField, String targetField, String recordNoun) {}

    /** A ConnectWise record's identifier and name (a company's name, a catalog item's description), for the 409 naming it. */
    record TargetName(String identifier, String name) {}

    private final Kind kind;
    private final MappingEvents published;
    private final MappingFailures failures;
    final KnownSubscriptions known;
    private final MapAndSync mapAndSync;
    /** The partner's ConnectWise, for the subclasses' look-ups and creates too. */
    final PartnerConnectWise connectWise;

    TargetMappings(Kind kind, PartnerConnectWise connectWise, MappingEvents published, MappingFailures failures,
                   KnownSubscriptions known, MapAndSync mapAndSync) {
        this.kind = kind;
        this.connectWise = connectWise;
        this.published = published;
        this.failures = failures;
        this.known = known;
        this.mapAndSync = mapAndSync;
    }

    /** The saved mapping of the item, if any. */
    abstract Optional<M> stored(String partnerId, String id);

    /** Finds or creates the ConnectWise record from the item's latest event and saves the mapping. */
    abstract M createAndSave(ConnectWiseConnection c, String partnerId, String id);

    /** The identifier {@code create} would find or give the record (from the item's latest event), if the item is known. */
    abstract Optional<String> createIdentifier(String partnerId, String id);

    /** Checks that the existing record may be mapped (400 with the reason otherwise) and saves the mapping. */
    abstract M linkAndSave(ConnectWiseConnection c, String partnerId, String id, long targetId);

    /** The mapped ConnectWise record's identifier and name, read from ConnectWise. */
    abstract TargetName targetName(ConnectWiseConnection c, long targetId);

    /** Removes the mapping; false when there was none. */
    abstract boolean delete(String partnerId, String id);

    /** The item a known subscription belongs to (its customer or product). */
    abstract String itemOf(KnownSubscriptions.Known subscription);

    /**
     * Map, then with {@code sync} run the open tasks of the item's subscriptions at once (map &amp; sync).
     * A failure of ConnectWise leaves the item FAILED with the reason.
     */
    public M map(String partnerId, String id, Q request, boolean sync) {
        M saved;
        try {
            saved = map(partnerId, id, request);
        } catch (ErrorResponseException e) {
            if (e.getStatusCode().value() == 422 || e.getStatusCode().value() == 502) {
                failures.record(partnerId, kind.changed(), id, e.getBody().getDetail());
            }
            throw e;
        }
        if (!sync) return saved;
        return saved.withTasks(mapAndSync.run(partnerId, known.all(partnerId).stream()
                .filter(k -> id.equals(itemOf(k))).map(KnownSubscriptions.Known::subscriptionId).toList()));
    }

    public M find(String partnerId, String id) {
        MappingIds.check(partnerId, kind.idField(), id);
        return stored(partnerId, id).orElseThrow(() -> notMapped(partnerId, id));
    }

    public M map(String partnerId, String id, Q request) {
        MappingIds.check(partnerId, kind.idField(), id);
        boolean create = Boolean.TRUE.equals(request.create());
        if (create == (request.targetId() != null)) {
            throw create
                    ? ApiProblems.badRequest("create", "give either " + kind.targetField() + " or create=true, not both")
                    : ApiProblems.badRequest(kind.targetField(), "is required unless create is true");
        }
        ConnectWiseConnection c = connectWise.connection(partnerId);
        if (create && !Boolean.TRUE.equals(request.replace())) {
            Optional<M> existing = stored(partnerId, id);
            if (existing.isPresent()) refuseDuplicate(c, partnerId, id, existing.get().targetId());
        }
        if (!create) refuseStranding(c, partnerId, id, request.targetId(), Boolean.TRUE.equals(request.replace()));
        M saved = create ? createAndSave(c, partnerId, id) : linkAndSave(c, partnerId, id, request.targetId());
        failures.clear(partnerId, kind.changed(), id);
        published.changed(new MappingChanged(partnerId, kind.changed(), id, true));
        return saved;
    }

    /**
     * Before the item is mapped to {@code targetId} (null: unmapped): refuses a change that would leave what hangs on
     * the old record inconsistent, unless {@code replace}. Nothing by default.
     *
     * @param c the partner's connection, null when not read yet
     */
    void refuseStranding(ConnectWiseConnection c, String partnerId, String id, Long targetId, boolean replace) {
    }

    /** Unmaps the item; its ConnectWise record and additions stay as they are. */
    public void unmap(String partnerId, String id) {
        unmap(partnerId, id, true);
    }

    /** The same; without {@code replace}, {@link #refuseStranding} may refuse it first (the API's DELETE). */
    public void unmap(String partnerId, String id, boolean replace) {
        MappingIds.check(partnerId, kind.idField(), id);
        if (!replace && stored(partnerId, id).isPresent()) refuseStranding(null, partnerId, id, null, false);
        if (!delete(partnerId, id)) throw notMapped(partnerId, id);
        published.changed(new MappingChanged(partnerId, kind.changed(), id, false));
    }

    /**
     * 409 for create=true on a mapped item: creating would leave a duplicate company / catalog item
     * and silently move the mapping. The answer names the existing record (id and name). Not a
     * conflict when the mapped record has the identifier create would use (a repeated create).
     */
    private void refuseDuplicate(ConnectWiseConnection c, String partnerId, String id, long targetId) {
        String name = null;
        try {
            TargetName record = targetName(c, targetId);
            Optional<String> identifier = createIdentifier(partnerId, id);
            // A repeated create: the mapped record is the one create would find, so nothing is duplicated or moved.
            if (identifier.isPresent() && identifier.get().equals(record.identifier())) return;
            name = record.name();
        } catch (ConnectWiseException e) {
            // the name is a courtesy: the conflict stands without it
        }
        Map<String, Object> existing = new LinkedHashMap<>();
        existing.put(kind.targetField(), targetId);
        existing.put("name", name);
        String named = kind.recordNoun() + " " + targetId + (name == null ? "" : " (" + name + ")");
        throw MappingProblems.conflict(kind.noun() + " " + id + " of partner " + partnerId + " is already mapped to "
                + named + "; send \"replace\": true to create a new " + kind.recordNoun() + " and map it instead.",
                "create", "already mapped to " + named, Map.of("existing", existing));
    }

    private ErrorResponseException notMapped(String partnerId, String id) {
        return ApiProblems.notFound(kind.noun() + " " + id + " of partner " + partnerId + " is not mapped.");
    }
}
