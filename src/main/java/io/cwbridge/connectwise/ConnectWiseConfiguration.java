package io.cwbridge.connectwise;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class ConnectWiseConfiguration {

    /**
     * The tenants' budgets live in PostgreSQL, so every instance on the database draws from the same
     * ones. The system clock, not the sync clock: tests fix that one, and a fixed clock never refills.
     */
    @Bean
    RequestRateLimiter connectWiseRateLimiter(ConnectWiseSettings settings, DataSource dataSource) {
        return RequestRateLimiter.shared(settings.requestsPerMinute(), dataSource, Clock.systemUTC(), RequestRateLimiter.THREAD_SLEEP);
    }

    /** The ConnectWise endpoints' {@code httpClientConfigurer=#connectWiseHttpAuth}: keys go on the wire only. */
    @Bean
    ConnectWiseHttpAuth connectWiseHttpAuth() {
        return new ConnectWiseHttpAuth();
    }

    /** No httpActivityListener on the http components: it would see the credentials (ConnectWiseActivityListenerGuard). */
    @Bean
    CamelContextConfiguration connectWiseActivityListenerGuard() {
        return new ConnectWiseActivityListenerGuard();
    }

    @Bean
    ConnectWiseClient connectWiseClient(ConnectWiseSettings settings, ObjectMapper mapper, RequestRateLimiter limiter,
                                        ProducerTemplate producer, ConnectWiseHttpAuth auth) {
        return new ConnectWiseClient(settings, mapper, limiter, new ConnectWiseHttp(producer, auth));
    }
}
