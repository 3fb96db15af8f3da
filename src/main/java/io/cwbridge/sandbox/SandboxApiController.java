package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The ConnectWise REST API subset at {@code /cw-sandbox/{codebase}/apis/3.0/}. One mapping takes
 * every sandbox path and {@link ApiRoute} resolves it, so unknown endpoints get ConnectWise's own
 * 404 rather than Spring's. Bodies are read as text to answer malformed JSON in ConnectWise's shape.
 */
@ConditionalOnSandbox
@Hidden
@RestController
class SandboxApiController {

    private final RecordService records;
    private final RecordQueries queries;

    SandboxApiController(RecordService records, RecordQueries queries) {
        this.records = records;
        this.queries = queries;
    }

    @RequestMapping("/cw-sandbox/**")
    ResponseEntity<String> handle(HttpServletRequest request, @RequestParam Map<String, String> params,
                                  @RequestBody(required = false) String body) {
        ApiRoute route = ApiRoute.relativePath(SandboxApiFilter.path(request))
                .flatMap(relative -> ApiRoute.resolve(request.getMethod(), relative))
                .orElseThrow(SandboxErrors::endpointMissing);
        Resource resource = route.resource();
        return switch (route.action()) {
            case SYSTEM_INFO -> SandboxResponses.json(200, SystemInfo.json());
            case LIST -> list(request, params, route);
            case COUNT -> {
                ObjectNode count = SandboxJson.object();
                count.put("count", queries.count(resource, route.parentId(), ListQuery.count(resource, params)));
                yield SandboxResponses.json(200, count);
            }
            case GET -> {
                ListQuery query = ListQuery.parse(resource, Map.of("fields", params.getOrDefault("fields", "")), false);
                StoredRecord record = queries.get(resource, route.parentId(), route.id());
                yield SandboxResponses.json(200, RecordQueries.select(record.doc(), query.fields()));
            }
            case CREATE -> SandboxResponses.json(201, records.create(resource, route.parentId(), SandboxJson.parse(body)).doc());
            case REPLACE -> SandboxResponses.json(200,
                    records.replace(resource, route.parentId(), route.id(), SandboxJson.parse(body)).doc());
            case PATCH -> SandboxResponses.json(200,
                    records.patch(resource, route.parentId(), route.id(), SandboxJson.parse(body)).doc());
            case DELETE -> {
                records.delete(resource, route.parentId(), route.id());
                yield SandboxResponses.noContent();
            }
        };
    }

    private ResponseEntity<String> list(HttpServletRequest request, Map<String, String> params, ApiRoute route) {
        boolean forwardOnly = "forward-only".equalsIgnoreCase(request.getHeader("pagination-type"));
        ListQuery query = ListQuery.parse(route.resource(), params, forwardOnly);
        RecordQueries.Page page = queries.list(route.resource(), route.parentId(), query);
        HttpHeaders headers = new HttpHeaders();
        String link = LinkHeader.of(request.getRequestURL().toString(), params, page, forwardOnly);
        if (!link.isEmpty()) {
            headers.set(HttpHeaders.LINK, link);
        }
        return SandboxResponses.json(200, SandboxJson.NODES.arrayNode().addAll(page.items()), headers);
    }
}
