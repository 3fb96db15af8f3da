package io.cwbridge.partner;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT /api/v1/partners/{p}/connection} (SPEC 8.2). */
public record ConnectionRequest(
        @NotBlank @Size(max = 100) String companyId,
        @NotBlank @Size(max = 200) @Schema(format = "password") String publicKey,
        @NotBlank @Size(max = 200) @Schema(format = "password") String privateKey,
        @NotBlank @Size(max = 500) @Pattern(regexp = "https?://[^\\s]+", message = "must be an http(s) URL")
        @Pattern(regexp = NO_USER_INFO, message = USER_INFO_MESSAGE)
        @Pattern(regexp = "[^?#]*", message = QUERY_MESSAGE)
        @Schema(example = "https://api-na.myconnectwise.net") String apiUrl,
        @NotBlank @Size(max = 100) String clientId,
        @Size(max = 100) @Pattern(regexp = "v\\d+_\\d+_release", message = "must look like v4_6_release")
        @Schema(example = "v4_6_release") String codebase,
        @Size(max = 200) @Schema(description = "The partner's display name (optional; the partner id until given)") String name) {

    /** SPEC 7: no user-info ({@code name:password@} before the host) in the site URL: the keys go in their own fields. */
    static final String NO_USER_INFO = "(?is)(?!\\s*https?://[^/?#\\s]*@).*";
    /** Never the URL itself: its user-info is a secret. */
    static final String USER_INFO_MESSAGE =
            "must not contain user information (a name or password before @ in the host part); the keys go in their own fields";

    /**
     * The bundle appends {@code /{codebase}/apis/3.0/…} to the site URL, so a query or fragment would end up inside the
     * path (and a key put there would travel in every URL); the value is not echoed, it may hold one.
     */
    static final String QUERY_MESSAGE = "must not have a query or fragment ('?' or '#'): it is the site's address, to which the"
            + " bundle appends /{codebase}/apis/3.0/";

    @Override
    public String toString() {
        return "ConnectionRequest[companyId=" + companyId + ", publicKey=****, privateKey=****, apiUrl="
                + io.cwbridge.connectwise.ConnectWiseConnection.withoutUserInfo(apiUrl)
                + ", clientId=" + clientId + ", codebase=" + codebase + ", name=" + name + "]";
    }
}
