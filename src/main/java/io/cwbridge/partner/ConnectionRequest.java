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
        @Schema(example = "https://api-na.myconnectwise.net") String apiUrl,
        @NotBlank @Size(max = 100) String clientId,
        @Size(max = 100) @Pattern(regexp = "v\\d+_\\d+_release", message = "must look like v4_6_release")
        @Schema(example = "v4_6_release") String codebase,
        @Size(max = 200) @Schema(description = "The partner's display name (optional; the partner id until given)") String name) {

    @Override
    public String toString() {
        return "ConnectionRequest[companyId=" + companyId + ", publicKey=****, privateKey=****, apiUrl=" + apiUrl
                + ", clientId=" + clientId + ", codebase=" + codebase + ", name=" + name + "]";
    }
}
