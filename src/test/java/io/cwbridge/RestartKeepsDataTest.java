package io.cwbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/**
 * The default run, started twice on one data folder: the demo partner, its sample tenant in the
 * sandbox and a partner saved through the API are all there after the restart, and the sample
 * tenant is not loaded twice.
 */
class RestartKeepsDataTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aRestartLosesNothing(@TempDir Path dataDir) throws Exception {
        String connection = """
                {"companyId":"demo_msp","publicKey":"sandboxPublicKey01","privateKey":"sandboxPrivateKey01",
                 "apiUrl":"http://localhost:1/cw-sandbox","clientId":"1d6b7e2a-6f0c-4a4e-9a53-0c5d8f1b2e77"}""";
        long companiesBefore;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            RestClient api = api(first);
            api.put().uri("/api/v1/partners/kept/connection").header("Content-Type", "application/json")
                    .body(connection).retrieve().toBodilessEntity();
            companiesBefore = companies(first);
            assertThat(companiesBefore).isEqualTo(3);
        }
        String keyBefore = Files.readString(dataDir.resolve("master.key"));

        try (ConfigurableApplicationContext second = start(dataDir)) {
            RestClient api = api(second);
            JsonNode kept = mapper.readTree(api.get().uri("/api/v1/partners/kept/connection").retrieve().body(String.class));
            assertThat(kept.path("apiUrl").asText()).isEqualTo("http://localhost:1/cw-sandbox");
            assertThat(companies(second)).isEqualTo(companiesBefore);
            JsonNode test = mapper.readTree(api.post().uri("/api/v1/partners/demo/connection/test").retrieve().body(String.class));
            assertThat(test.path("ok").asBoolean()).isTrue();
        }
        assertThat(Files.readString(dataDir.resolve("master.key"))).isEqualTo(keyBefore);
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplication(BundleApplication.class).run(
                "--server.port=0", "--cwbridge.data-dir=" + dataDir, "--cwbridge.demo.enabled=true",
                "--spring.jmx.enabled=false", "--camel.main.name=restart-test");
    }

    private static RestClient api(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return RestClient.create("http://localhost:" + port);
    }

    private long companies(ConfigurableApplicationContext context) throws Exception {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("demo_msp+sandboxPublicKey01:sandboxPrivateKey01".getBytes());
        String body = RestClient.create().get()
                .uri("http://localhost:" + port + "/cw-sandbox/v4_6_release/apis/3.0/company/companies/count")
                .header("Authorization", auth).header("clientId", "1d6b7e2a-6f0c-4a4e-9a53-0c5d8f1b2e77")
                .retrieve().body(String.class);
        return mapper.readTree(body).path("count").asLong();
    }
}
