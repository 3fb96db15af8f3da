package io.cwbridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** SPEC 2 "nothing is lost": an API call made while Camel starts waits for it instead of failing unstored. */
class StartingUpFilterTest {

    private static MockHttpServletRequest post(String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setRequestURI(path);
        return request;
    }

    @Test
    void anEventPostedWhileCamelStartsWaitsForItAndGoesOn() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            StartingUpFilter filter = new StartingUpFilter(camel, Duration.ofSeconds(20));
            AtomicBoolean camelWasUpWhenHandled = new AtomicBoolean();
            MockHttpServletResponse response = new MockHttpServletResponse();

            CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> {
                try {
                    TimeUnit.MILLISECONDS.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                camel.start();
            });
            filter.doFilter(post("/api/v1/events"), response, (req, res) -> camelWasUpWhenHandled.set(camel.isStarted()));
            starting.get(10, TimeUnit.SECONDS);

            assertThat(camelWasUpWhenHandled).isTrue();
            assertThat(response.getStatus()).isEqualTo(200);
        }
    }

    @Test
    void whenCamelDoesNotComeUpInTimeTheAnswerIs503WithRetryAfterAndNothingIsHandled() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            StartingUpFilter filter = new StartingUpFilter(camel, Duration.ofMillis(200));
            AtomicBoolean handled = new AtomicBoolean();
            MockHttpServletResponse response = new MockHttpServletResponse();

            filter.doFilter(post("/api/v1/events"), response, (req, res) -> handled.set(true));

            assertThat(handled).isFalse();
            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(response.getHeader("Retry-After")).isEqualTo("5");
            assertThat(response.getContentType()).startsWith("application/problem+json");
            assertThat(response.getContentAsString()).contains("starting; nothing was stored or sent");
        }
    }

    @Test
    void afterCamelStoppedTheAnswerIs503AtOnceAndOtherPathsAreNotHeld() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            StartingUpFilter filter = new StartingUpFilter(camel, Duration.ofSeconds(20));
            camel.start();
            filter.doFilter(post("/api/v1/events"), new MockHttpServletResponse(), (req, res) -> { });
            camel.stop();
            MockHttpServletResponse response = new MockHttpServletResponse();
            long started = System.nanoTime();

            filter.doFilter(post("/api/v1/events"), response, (req, res) -> { });

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(response.getContentAsString()).contains("stopping");
            AtomicBoolean sandbox = new AtomicBoolean();
            filter.doFilter(post("/cw-sandbox/v4_6_release/apis/3.0/system/info"), new MockHttpServletResponse(),
                    (req, res) -> sandbox.set(true));
            assertThat(sandbox).isTrue();
        }
    }
}
