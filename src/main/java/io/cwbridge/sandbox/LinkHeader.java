package io.cwbridge.sandbox;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * RFC 5988 {@code Link} header of a list answer. Always sent, with first and last; prev and next
 * only where such a page exists, so a client can stop on the absence of rel="next".
 */
final class LinkHeader {

    private LinkHeader() {}

    static String of(String requestUrl, Map<String, String> params, RecordQueries.Page page, boolean forwardOnly) {
        List<String> links = new ArrayList<>();
        if (forwardOnly) {
            if (page.hasMore()) {
                links.add(link(requestUrl, params, Map.of("pageId", Integer.toString(page.lastId())), "next"));
            }
            return String.join(", ", links);
        }
        int last = page.lastPage();
        links.add(link(requestUrl, params, pageParam(1), "first"));
        if (page.page() > 1) {
            links.add(link(requestUrl, params, pageParam(Math.min(page.page() - 1, last)), "prev"));
        }
        if (page.page() < last) {
            links.add(link(requestUrl, params, pageParam(page.page() + 1), "next"));
        }
        links.add(link(requestUrl, params, pageParam(last), "last"));
        return String.join(", ", links);
    }

    private static Map<String, String> pageParam(int page) {
        return Map.of("page", Integer.toString(page));
    }

    private static String link(String requestUrl, Map<String, String> params, Map<String, String> override, String rel) {
        Map<String, String> query = new LinkedHashMap<>(params);
        query.putAll(override);
        String queryString = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
        return "<" + requestUrl + "?" + queryString + ">; rel=\"" + rel + "\"";
    }
}
