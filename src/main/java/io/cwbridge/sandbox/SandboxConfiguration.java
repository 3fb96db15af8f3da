package io.cwbridge.sandbox;

import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Wires the local ConnectWise sandbox (SPEC 8.3). Off with {@code cw-sandbox.enabled=false}: then
 * no bean, controller or table of it exists. Its helpers are plain classes, not components, so
 * nothing here leaks into the rest of the application by type.
 */
@ConditionalOnSandbox
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SandboxProperties.class)
class SandboxConfiguration {

    @Bean
    RecordStore sandboxRecordStore(DataSource dataSource) {
        RecordStore store = new RecordStore(new SandboxDatabase(dataSource));
        StateUpgrade.run(store, Clock.systemUTC());
        return store;
    }

    @Bean
    RecordService sandboxRecordService(RecordStore store) {
        return new RecordService(store, Clock.systemUTC());
    }

    @Bean
    RecordQueries sandboxRecordQueries(RecordStore store) {
        return new RecordQueries(store);
    }

    @Bean
    InvoiceLedger sandboxInvoiceLedger(RecordStore store) {
        return new InvoiceLedger(store, Clock.systemUTC());
    }

    @Bean
    SandboxSeeder sandboxSeeder(RecordStore store, RecordService records) {
        return new SandboxSeeder(store, records, Clock.systemUTC());
    }

    @Bean
    FaultInjector sandboxFaultInjector() {
        return new FaultInjector();
    }

    @Bean
    CallCounter sandboxCallCounter() {
        return new CallCounter();
    }

    @Bean
    SandboxSecurityRole sandboxSecurityRole() {
        return new SandboxSecurityRole();
    }

    /** The filter is built here, not as its own bean, so Spring Boot does not also map it to every path. */
    @Bean
    FilterRegistrationBean<SandboxApiFilter> sandboxApiFilter(SandboxProperties properties, FaultInjector faults,
                                                              CallCounter calls, SandboxSecurityRole role) {
        FilterRegistrationBean<SandboxApiFilter> registration =
                new FilterRegistrationBean<>(new SandboxApiFilter(new SandboxAuth(properties), faults, calls, role));
        registration.addUrlPatterns(ApiRoute.PREFIX + "*");
        registration.setName("cwSandboxApiFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }
}
