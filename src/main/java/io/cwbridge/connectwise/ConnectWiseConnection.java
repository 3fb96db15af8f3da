package io.cwbridge.connectwise;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Everything needed to call one partner's ConnectWise tenant (SPEC 7). Holds the keys in clear
 * only in memory; {@link #toString()} masks them so they never reach a log line.
 *
 * @param apiUrl    site URL, e.g. {@code https://api-na.myconnectwise.net} or the local sandbox
 * @param codebase  e.g. {@code v4_6_release}
 */
public record ConnectWiseConnection(
        String apiUrl, String codebase, String companyId, String publicKey, String privateKey, String clientId) {

    public ConnectWiseConnection {
        Objects.requireNonNull(apiUrl, "apiUrl");
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

    /** Key of the per-tenant request budget: one integration per company on one site. */
    public String rateLimitKey() {
        return companyId + "@" + apiUrl;
    }

    @Override
    public String toString() {
        return "ConnectWiseConnection[apiUrl=" + apiUrl + ", codebase=" + codebase + ", companyId=" + companyId
                + ", publicKey=****, privateKey=****, clientId=" + clientId + "]";
    }
}
