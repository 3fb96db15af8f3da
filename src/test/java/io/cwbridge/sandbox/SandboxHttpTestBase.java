package io.cwbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.BundleTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sandbox over real HTTP on the application's random port, reset before each test: the set-up the
 * sandbox API tests share (one Spring context for all of them).
 */
abstract class SandboxHttpTestBase extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired SandboxProperties properties;

    SandboxHttp cw;
    SandboxTestSupport records;

    // Runs before the subclass's own @BeforeEach (a different name, so it is not overridden).
    @BeforeEach
    void resetSandbox() {
        cw = new SandboxHttp(port, properties.companyId(), properties.publicKey(), properties.privateKey(), properties.clientId());
        assertThat(cw.admin("POST", "reset", null).status()).isEqualTo(204);
        records = new SandboxTestSupport(cw);
    }
}
