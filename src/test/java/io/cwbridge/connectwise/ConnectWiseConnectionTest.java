package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectWiseConnectionTest {

    private final ConnectWiseConnection connection = new ConnectWiseConnection(
            "https://api-na.myconnectwise.net/", "v4_6_release", "acme", "pubKey1", "privKey1", "c0ffee00-guid");

    @Test
    void authorizationIsCompanyPlusPublicKeyColonPrivateKey() {
        String header = connection.authorizationHeader();
        assertThat(header).startsWith("Basic ");
        assertThat(new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8))
                .isEqualTo("acme+pubKey1:privKey1");
    }

    @Test
    void resourcesResolveUnderCodebaseAndApiVersion() {
        assertThat(connection.baseUri().toString()).isEqualTo("https://api-na.myconnectwise.net/v4_6_release/apis/3.0/");
        Map<String, String> query = new LinkedHashMap<>();
        query.put("conditions", "company/id=5 and name like \"Chairs*\"");
        query.put("page", "2");
        assertThat(ConnectWiseClient.rawQuery(query))
                .isEqualTo("conditions=company%2Fid%3D5%20and%20name%20like%20%22Chairs*%22&page=2");
    }

    @Test
    void theCamelEndpointIsTheBaseAddressWithItsTimeOutsAndNoSecret() {
        String endpoint = ConnectWiseHttp.endpoint(connection.baseUri(), Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertThat(endpoint).isEqualTo("https://api-na.myconnectwise.net/v4_6_release/apis/3.0?throwExceptionOnFailure=false"
                + "&httpClientConfigurer=#connectWiseHttpAuth&logHttpActivity=false&connectTimeout=5000&responseTimeout=30000");
        assertThat(endpoint).doesNotContain("pubKey1").doesNotContain("privKey1").doesNotContain("acme");
    }

    @Test
    void aSiteUrlsUserInfoIsDroppedSoNoUseOfTheConnectionCarriesItSpec7() {
        // e.g. a connection stored before the PUT refused user-info in apiUrl
        ConnectWiseConnection stored = new ConnectWiseConnection("https://Name-1f:Secret-9c@api-na.myconnectwise.net/", "v4_6_release",
                "acme", "pubKey1", "privKey1", "c0ffee00-guid");

        assertThat(stored.apiUrl()).isEqualTo("https://api-na.myconnectwise.net/");
        assertThat(stored.baseUri().toString()).isEqualTo("https://api-na.myconnectwise.net/v4_6_release/apis/3.0/");
        for (String use : new String[] {stored.toString(), stored.rateLimitKey(),
                ConnectWiseHttp.endpoint(stored.baseUri(), Duration.ofSeconds(5), Duration.ofSeconds(30))}) {
            assertThat(use).doesNotContain("Name-1f").doesNotContain("Secret-9c");
        }
        assertThat(ConnectWiseConnection.withoutUserInfo("to HTTP://a@b@host:8080/x?y=c@d and https://host/p@q"))
                .isEqualTo("to HTTP://host:8080/x?y=c@d and https://host/p@q");
    }

    @Test
    void toStringMasksTheKeys() {
        assertThat(connection.toString()).doesNotContain("pubKey1").doesNotContain("privKey1").contains("acme");
    }

    @Test
    void remoteTextIsMaskedOfTheKeysAndTheBasicCredentialInEveryFormSpec7() {
        ConnectWiseConnection c = new ConnectWiseConnection("https://api-na.myconnectwise.net/", "v4_6_release", "acme",
                "pub/Key+1", "priv/Key+1", "c0ffee00-guid");
        byte[] credential = "acme+pub/Key+1:priv/Key+1".getBytes(StandardCharsets.UTF_8);
        String text = "Invalid credentials for acme+pub/Key+1:priv/Key+1; " + c.authorizationHeader()
                + "; url-safe " + Base64.getUrlEncoder().withoutPadding().encodeToString(credential)
                + "; key PRIV/KEY+1 and priv%2FKey%2B1, public pub/key+1";

        assertThat(c.withoutSecrets(text)).isEqualTo("Invalid credentials for ****; Basic ****; url-safe ****"
                + "; key **** and ****, public ****");
        assertThat(c.withoutSecrets("The company, public key or private key is not valid.")) // the rest as it is
                .isEqualTo("The company, public key or private key is not valid.");
        assertThat(c.withoutSecrets(null)).isNull();
    }
}
