package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;

/** List, count and get over the in-memory index. */
final class RecordQueries {

    /** One page of a list and where it sits, for the Link header. */
    record Page(List<ObjectNode> items, int page, int pageSize, int total, boolean hasMore, int lastId) {
        int lastPage() {
            return Math.max(1, (total + pageSize - 1) / pageSize);
        }
    }

    private final RecordStore store;

    RecordQueries(RecordStore store) {
        this.store = store;
    }

    StoredRecord get(Resource resource, Integer parentId, int id) {
        if (resource.isDerived()) {
            return store.read(view -> AgreementRecaps.find(view, id).orElseThrow(() -> SandboxErrors.notFound(resource, id)));
        }
        return store.read(view -> RecordService.existing(view, resource, parentId, id));
    }

    Page list(Resource resource, Integer parentId, ListQuery query) {
        return store.read(view -> {
            List<ObjectNode> matching = matching(view, resource, parentId, query.condition()).toList();
            if (query.forwardOnly()) {
                List<ObjectNode> after = matching.stream().filter(d -> d.path("id").asInt() > query.pageId()).toList();
                List<ObjectNode> items = after.stream().limit(query.pageSize()).map(d -> select(d, query.fields())).toList();
                int lastId = items.isEmpty() ? query.pageId() : items.get(items.size() - 1).path("id").asInt();
                return new Page(items, 1, query.pageSize(), matching.size(), after.size() > items.size(), lastId);
            }
            // Records come in id order already, so the default order needs no sort.
            List<ObjectNode> sorted = query.orderBy().equals(OrderBy.BY_ID) ? matching
                    : matching.stream().sorted(query.orderBy().comparator()).toList();
            long skip = (long) (query.page() - 1) * query.pageSize();
            List<ObjectNode> items = sorted.stream().skip(skip).limit(query.pageSize()).map(d -> select(d, query.fields())).toList();
            return new Page(items, query.page(), query.pageSize(), sorted.size(), skip + items.size() < sorted.size(), 0);
        });
    }

    int count(Resource resource, Integer parentId, Condition condition) {
        return store.read(view -> (int) matching(view, resource, parentId, condition).count());
    }

    private static Stream<ObjectNode> matching(RecordView view, Resource resource, Integer parentId, Condition condition) {
        List<StoredRecord> candidates;
        if (resource.hasParent()) {
            view.find(Resource.AGREEMENT, parentId).orElseThrow(() -> SandboxErrors.notFound(Resource.AGREEMENT, parentId));
            candidates = view.children(resource, parentId);
        } else if (resource.isDerived()) {
            candidates = AgreementRecaps.all(view);
        } else {
            candidates = view.all(resource);
        }
        Stream<ObjectNode> docs = candidates.stream().map(StoredRecord::doc);
        return condition == null ? docs : docs.filter(condition::test);
    }

    /** The {@code fields} parameter: only the named fields (paths like {@code company/name} keep that part). */
    static ObjectNode select(ObjectNode doc, List<String> fields) {
        if (fields.isEmpty()) {
            return doc;
        }
        ObjectNode result = SandboxJson.object();
        for (String path : fields) {
            JsonNode value = FieldPath.resolve(doc, path);
            if (FieldPath.isAbsent(value)) {
                continue;
            }
            String[] steps = path.split("/");
            ObjectNode target = result;
            for (int i = 0; i < steps.length - 1; i++) {
                target = target.has(steps[i]) && target.get(steps[i]).isObject()
                        ? (ObjectNode) target.get(steps[i]) : target.putObject(steps[i]);
            }
            target.set(steps[steps.length - 1], value);
        }
        return result;
    }
}
