package io.cwbridge.connectwise;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class ConnectWiseConfiguration {

    @Bean
    RequestRateLimiter connectWiseRateLimiter(ConnectWiseSettings settings) {
        return new RequestRateLimiter(settings.requestsPerMinute());
    }

    @Bean
    ConnectWiseClient connectWiseClient(ConnectWiseSettings settings, ObjectMapper mapper, RequestRateLimiter limiter) {
        return new ConnectWiseClient(settings, mapper, limiter);
    }
}
