package io.cwbridge.ingest;

import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bundle's one {@link EventValidator}: the bundle's clock ({@code cwbridge.sync.clock}) and
 * the date window {@code cwbridge.validation.date-window-years-back} (default 10) and
 * {@code cwbridge.validation.date-window-years-forward} (default 5) around its today.
 */
@Configuration(proxyBeanMethods = false)
public class EventValidation {

    @Bean
    public EventValidator eventValidator(Clock clock,
            @Value("${cwbridge.validation.date-window-years-back:" + EventValidator.DEFAULT_YEARS_BACK + "}") int yearsBack,
            @Value("${cwbridge.validation.date-window-years-forward:" + EventValidator.DEFAULT_YEARS_FORWARD + "}") int yearsForward) {
        return new EventValidator(clock, yearsBack, yearsForward);
    }
}
