package io.cwbridge.connectwise;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything needed to call one partner's ConnectWise tenant (SPEC 7). Holds the keys in clear
 * only in memory; {@link #toString()} masks them so they never reach a log line.
 *
 * @param apiUrl    site URL, e.g. {@code https://api-na.myconnectwise.net} or the local sandbox
 * @param codebase  e.g. {@code v4_6_release}
 */
public record ConnectWiseConnection(
        String apiUrl, String codebase, String companyId, String publicKey, String privateKey, String clientId) {

    /**
     * The user-info of an http(s) URL ({@code name:password@} before the host): everything from {@code ://} to the
     * authority's last {@code @}. ConnectWise takes its keys in the Authorization header only, so user-info in a site URL
     * is never needed, and it would be a secret in the clear wherever the URL goes (log lines, answers, Camel's endpoint).
     */
    private static final Pattern USER_INFO = Pattern.compile("(?i)(https?://)[^/?#\\s]*@");

    /** {@code text} with the user-info of every http(s) URL in it removed ({@code http://a:b@host/x} → {@code http://host/x}). */
    public static String withoutUserInfo(String text) {
        return text == null ? null : USER_INFO.matcher(text).replaceAll("$1");
    }

    /** The site URL is kept without user-info (a connection stored before the PUT refused it), so no use of it carries one. */
    public ConnectWiseConnection {
        Objects.requireNonNull(apiUrl, "apiUrl");
        apiUrl = withoutUserInfo(apiUrl);
        Objects.requireNonNull(codebase, "codebase");
        Objects.requireNonNull(companyId, "companyId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(clientId, "clientId");
    }

    /** {@code {apiUrl}/{codebase}/apis/3.0/} — the root every resource path is resolved against. */
    public URI baseUri() {
        String site = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        String code = codebase.replaceAll("^/+|/+$", "");
        return URI.create(site + "/" + code + "/apis/3.0/");
    }

    /** {@code Basic base64("{companyId}+{publicKey}:{privateKey}")}, as ConnectWise expects. */
    public String authorizationHeader() {
        String raw = companyId + "+" + publicKey + ":" + privateKey;
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** What {@link #withoutSecrets} puts in place of a secret (as {@link #toString()} shows the keys). */
    public static final String MASK = "****";

    /**
     * {@code text} with this connection's secrets masked (SPEC 7: never logged or shown back): the Basic credential
     * {@code companyId+publicKey:privateKey} in base64 (with or without padding, also URL-safe) and in clear, the private
     * key and the public key (also URL-encoded), in any letter case. For remote text (an error message ConnectWise, a
     * proxy or a look-alike host at {@code apiUrl} answers, which may echo the request's credentials) before it is kept,
     * logged or answered; the rest of the text is left as it is.
     */
    public String withoutSecrets(String text) {
        if (text == null || text.isEmpty()) return text;
        String credential = companyId + "+" + publicKey + ":" + privateKey;
        byte[] bytes = credential.getBytes(StandardCharsets.UTF_8);
        // longest first, so a key inside the credential is masked with the credential as a whole
        Set<String> secrets = new LinkedHashSet<>();
        secrets.add(Base64.getEncoder().encodeToString(bytes));
        secrets.add(Base64.getUrlEncoder().encodeToString(bytes));
        secrets.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        secrets.add(credential);
        secrets.add(URLEncoder.encode(credential, StandardCharsets.UTF_8));
        for (String key : new String[] {privateKey, publicKey}) {
            secrets.add(key);
            secrets.add(URLEncoder.encode(key, StandardCharsets.UTF_8));
        }
        String masked = text;
        for (String secret : secrets) {
            if (secret.isBlank()) continue;
            masked = Pattern.compile(Pattern.quote(secret), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(masked)
                    .replaceAll(Matcher.quoteReplacement(MASK));
        }
        return masked;
    }

    /** Key of the per-tenant request budget: one integration per company on one site. */
    public String rateLimitKey() {
        return companyId + "@" + apiUrl;
    }

    @Override
    public String toString() {
        return "ConnectWiseConnection[apiUrl=" + apiUrl + ", codebase=" + codebase + ", companyId=" + companyId
                + ", publicKey=" + MASK + ", privateKey=" + MASK + ", clientId=" + clientId + "]";
    }
}
