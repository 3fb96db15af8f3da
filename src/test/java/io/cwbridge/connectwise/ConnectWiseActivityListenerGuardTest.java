package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.component.http.LoggingHttpActivityListener;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Security: camel-http hands an httpActivityListener each request after the credentials are on it, and every
 * endpoint of a component gets the component's listener whatever {@code logHttpActivity=false} says. The bundle refuses
 * one: at start-up (the http and https components) and before a ConnectWise call (its endpoint).
 */
class ConnectWiseActivityListenerGuardTest {

    private CamelContext camel;

    @BeforeEach
    void camel() {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("connectWiseHttpAuth", new ConnectWiseHttpAuth());
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void startsWithoutAnActivityListener() {
        assertThatCode(() -> ConnectWiseActivityListenerGuard.check(camel)).doesNotThrowAnyException();
        HttpEndpoint endpoint = camel.getEndpoint(ConnectWiseHttp.endpoint(URI.create("https://api-na.myconnectwise.net/v4_6_release/apis/3.0"),
                Duration.ofSeconds(5), Duration.ofSeconds(30)), HttpEndpoint.class);
        assertThat(endpoint.getHttpActivityListener()).isNull();
        assertThatCode(() -> ConnectWiseHttp.refuseActivityListener(endpoint)).doesNotThrowAnyException();
    }

    @Test
    void refusesToStartWhenTheHttpsComponentHasOne() {
        camel.getComponent("https", HttpComponent.class).setHttpActivityListener(new LoggingHttpActivityListener());
        assertThatThrownBy(() -> ConnectWiseActivityListenerGuard.check(camel))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("component https")
                .hasMessageContaining("camel.component.https.http-activity-listener");
    }

    @Test
    void refusesToStartWithCamelHttpsActivityLogSwitchedOn() {
        // camel.component.http.log-http-activity=true: its logging listener is made only when the component starts
        camel.getComponent("http", HttpComponent.class).setLogHttpActivity(true);
        assertThatThrownBy(() -> ConnectWiseActivityListenerGuard.check(camel))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("camel.component.http.log-http-activity=true");
    }

    @Test
    void refusesAConnectWiseEndpointThatGotTheComponentsListener() {
        // set after start-up's check: the endpoint inherits it although its URI says logHttpActivity=false
        camel.getComponent("http", HttpComponent.class).setHttpActivityListener(new LoggingHttpActivityListener());
        HttpEndpoint endpoint = camel.getEndpoint(ConnectWiseHttp.endpoint(URI.create("http://localhost:8080/cw-sandbox/v4_6_release/apis/3.0/"),
                Duration.ofSeconds(5), Duration.ofSeconds(30)), HttpEndpoint.class);
        assertThat(endpoint.getHttpActivityListener()).isNotNull();
        assertThatThrownBy(() -> ConnectWiseHttp.refuseActivityListener(endpoint))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Authorization")
                .hasMessageContaining("endpoint http://localhost:8080/cw-sandbox");
    }
}
