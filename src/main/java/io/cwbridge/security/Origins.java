package io.cwbridge.security;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Web origins ({@code scheme://host:port}) in one normal form, so they compare as strings. */
final class Origins {

    private Origins() {}

    /** The normal form of an origin or of any absolute URL's origin, or null when it is none (e.g. {@code "null"}). */
    static String of(String url) {
        if (url == null) return null;
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null) return null;
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (Exception e) {
            return null;
        }
    }

    /** The origin the request was sent to, as the client named it (scheme, Host header). */
    static String ofServer(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        String host = request.getServerName();
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]"; // IPv6 literal
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + request.getServerPort();
    }

    static Set<String> normalise(Collection<String> origins) {
        return origins.stream().map(o -> {
            String normal = of(o);
            if (normal == null) throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + o);
            return normal;
        }).collect(Collectors.toUnmodifiableSet());
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }
}
