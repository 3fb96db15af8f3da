package io.cwbridge.sandbox;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One resolved API call: what it does, on which record, and its path template, which is how
 * calls are counted (e.g. {@code POST /finance/agreements/{parentId}/additions}).
 */
record ApiRoute(Action action, Resource resource, Integer parentId, Integer id, String template) {

    enum Action { LIST, COUNT, GET, CREATE, REPLACE, PATCH, DELETE, SYSTEM_INFO }

    static final String PREFIX = "/cw-sandbox/";
    private static final Pattern CODEBASE = Pattern.compile("v\\d+_\\d+(_release)?");
    private static final Pattern ID = Pattern.compile("\\d{1,9}");

    /**
     * The part of a sandbox URI path after {@code /cw-sandbox/{codebase}/apis/3.0/}, or empty if
     * the path is not an API path of a valid codebase.
     */
    static Optional<String> relativePath(String uriPath) {
        if (!uriPath.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = uriPath.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash < 0 || !CODEBASE.matcher(rest.substring(0, slash)).matches()) {
            return Optional.empty();
        }
        String api = rest.substring(slash + 1);
        if (!api.startsWith("apis/3.0/")) {
            return Optional.empty();
        }
        String relative = api.substring("apis/3.0/".length());
        return Optional.of(relative.endsWith("/") ? relative.substring(0, relative.length() - 1) : relative);
    }

    /** Resolves a method and a relative path such as {@code finance/agreements/5/additions/12}. */
    static Optional<ApiRoute> resolve(String method, String relative) {
        String[] s = relative.split("/");
        if (s.length == 2 && s[0].equals("system") && s[1].equals("info")) {
            return method.equals("GET")
                    ? Optional.of(new ApiRoute(Action.SYSTEM_INFO, null, null, null, "/system/info"))
                    : Optional.empty();
        }
        // finance/agreements/types is a resource of its own (a setup table), not an agreement id.
        if (s.length >= 3 && s[0].equals("finance") && s[1].equals("agreements") && s[2].equals("types")) {
            return under(method, Resource.AGREEMENT_TYPE, null, s, 3);
        }
        if (s.length >= 4 && s[0].equals("finance") && s[1].equals("agreements") && isId(s[2])) {
            for (Resource child : new Resource[] {Resource.ADDITION, Resource.ADJUSTMENT}) {
                if (s[3].equals(child.path().substring(child.path().lastIndexOf('/') + 1))) {
                    return under(method, child, Integer.valueOf(s[2]), s, 4);
                }
            }
            return Optional.empty();
        }
        for (Resource resource : new Resource[] {Resource.COMPANY, Resource.CATALOG, Resource.AGREEMENT, Resource.INVOICE,
                Resource.AGREEMENT_RECAP, Resource.CONTACT}) {
            String[] base = resource.path().split("/");
            if (s.length >= 2 && s[0].equals(base[0]) && s[1].equals(base[1])) {
                return under(method, resource, null, s, 2);
            }
        }
        return Optional.empty();
    }

    private static Optional<ApiRoute> under(String method, Resource resource, Integer parentId, String[] s, int depth) {
        return route(method, resource, parentId, s, depth).filter(r -> resource.serves(r.action()));
    }

    private static Optional<ApiRoute> route(String method, Resource resource, Integer parentId, String[] s, int depth) {
        String collection = "/" + resource.path();
        if (s.length == depth) {
            return switch (method) {
                case "GET" -> Optional.of(new ApiRoute(Action.LIST, resource, parentId, null, collection));
                case "POST" -> Optional.of(new ApiRoute(Action.CREATE, resource, parentId, null, collection));
                default -> Optional.empty();
            };
        }
        if (s.length != depth + 1) {
            return Optional.empty();
        }
        if (s[depth].equals("count")) {
            return method.equals("GET")
                    ? Optional.of(new ApiRoute(Action.COUNT, resource, parentId, null, collection + "/count"))
                    : Optional.empty();
        }
        if (!isId(s[depth])) {
            return Optional.empty();
        }
        Integer id = Integer.valueOf(s[depth]);
        String item = collection + "/{id}";
        return switch (method) {
            case "GET" -> Optional.of(new ApiRoute(Action.GET, resource, parentId, id, item));
            case "PUT" -> Optional.of(new ApiRoute(Action.REPLACE, resource, parentId, id, item));
            case "PATCH" -> Optional.of(new ApiRoute(Action.PATCH, resource, parentId, id, item));
            case "DELETE" -> Optional.of(new ApiRoute(Action.DELETE, resource, parentId, id, item));
            default -> Optional.empty();
        };
    }

    private static boolean isId(String text) {
        return ID.matcher(text).matches();
    }
}
